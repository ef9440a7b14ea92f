// The GPT against PyTorch, as llm.c's test_gpt2: from the same weights and batch, the logits, the loss,
// the gradient of every parameter and the losses of the first 10 AdamW steps (the project's optimizer
// factory, grad_clip 1.0) equal those tests/fixtures/make_gpt_fixture.py recorded with torch 1.13.
using Workbench.Experiments.Building;
using Workbench.Experiments.Specs;
using Workbench.Torch;
using Workbench.Torch.Optim;

namespace Workbench.Models.Tests;

public sealed class GptParityTests
{
    // make_gpt_fixture.py's CONFIG, VOCAB and optimizer settings.
    private static readonly GptConfig Config = new(VocabSize: 32, BlockSize: 16, Layers: 2, Heads: 2, Embedding: 16, Dropout: 0, Bias: true);
    private static readonly OptimizerSpec Optimizer = new("adamw", Lr: 1e-2, new ValueList<double>([0.9, 0.99]), WeightDecay: 0.1, Momentum: 0);
    private const double MaxGradNorm = 1.0;

    [Fact]
    public void Logits_loss_every_gradient_and_ten_adamw_losses_match_pytorch()
    {
        // Given torch's weights loaded into our GPT
        using var scope = TensorScope.Begin();
        var f = SafeTensors.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "gpt_parity.safetensors"));
        using var model = new Gpt(Config);
        var weights = f.Where(e => e.Key.StartsWith("param.", StringComparison.Ordinal)).ToDictionary(e => e.Key["param.".Length..], e => e.Value);
        model.LoadStateDict(weights);                                        // strict: every parameter, no extra
        var (x, y) = (f["x"], f["y"]);                                       // (B, T)

        // When it runs forward and backward on the batch
        var logits = model.Forward(x);                                       // (B, T, V)
        var loss = Functional.CrossEntropy(logits.Reshape(-1, Config.VocabSize), y.Reshape(-1));
        loss.Backward();

        // Then logits, loss and every gradient equal torch's
        Close.Assert(f["logits"], logits, "logits");
        Close.Assert(f["loss"], loss, "loss");
        foreach (var (name, p) in model.NamedParameters()) Close.Assert(f[$"grad.{name}"], p.Grad()!, $"grad of {name}");

        // And ten optimizer steps lose what torch's did
        model.ZeroGrad();
        using var optimizer = OptimizerFactory.Create(Optimizer, model);
        var parameters = model.Parameters().ToList();
        var losses = new List<double>();
        for (var step = 0; step < 10; step++)
        {
            using var stepScope = TensorScope.Begin();
            var stepLoss = Functional.CrossEntropy(model.Forward(x).Reshape(-1, Config.VocabSize), y.Reshape(-1));
            stepLoss.Backward();
            GradClip.ClipByGlobalNorm(parameters, MaxGradNorm);
            optimizer.Step();
            model.ZeroGrad();
            losses.Add(stepLoss.Item());
        }
        Close.Values(f["losses"].ToArray<float>().Select(l => (double)l).ToList(), losses, "AdamW losses");
    }
}
