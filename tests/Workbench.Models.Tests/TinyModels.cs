// What the model tests share: small seeded models, token tensors, and full-batch training.
using Workbench.Torch;
using Workbench.Torch.Nn;
using Workbench.Torch.Optim;

namespace Workbench.Models.Tests;

internal static class TinyModels
{
    /// <summary>A seeded GPT small enough to run in milliseconds (vocab 11, block 16, 2 layers, 2 heads, n_embd 16).</summary>
    public static Gpt Gpt(bool bias = false, int vocab = 11, int block = 16, int layers = 2, int heads = 2, int embedding = 16, long seed = 1)
    {
        Torch.Torch.ManualSeed(seed);
        return new Gpt(new GptConfig(vocab, block, layers, heads, embedding, Dropout: 0, bias));
    }

    /// <summary>(rows, columns) int64 token ids.</summary>
    public static Tensor Ids(long[] ids, long rows, long columns) => Tensor.FromSpan<long>(ids, ScalarType.Int64, [rows, columns]);

    /// <summary>(1, T) int64 token ids.</summary>
    public static Tensor Ids(params long[] ids) => Ids(ids, 1, ids.Length);

    /// <summary>The model's output for <paramref name="input"/>, copied out, in eval mode and without autograd.</summary>
    public static float[] Evaluate(Layer model, Tensor input)
    {
        model.Eval();
        using var noGrad = new NoGrad();
        using var scope = TensorScope.Begin();
        return model.Forward(input).ToFloatArray();
    }

    /// <summary>
    /// Full-batch AdamW steps on cross-entropy between the model's logits and <paramref name="targets"/>;
    /// logits of any rank are flattened to (N, vocab) against the targets flattened to (N). Returns the last loss.
    /// </summary>
    public static double Train(Layer model, Tensor inputs, Tensor targets, int steps, double lr)
    {
        model.Train();
        using var optimizer = new AdamW(model.Parameters(), lr, weightDecay: 0);
        var loss = double.NaN;
        for (var step = 0; step < steps; step++)
        {
            using var scope = TensorScope.Begin();
            var logits = model.Forward(inputs);
            var batchLoss = Functional.CrossEntropy(logits.Reshape(-1, logits.Size(-1)), targets.Reshape(-1));
            optimizer.ZeroGrad();
            batchLoss.Backward();
            optimizer.Step();
            loss = batchLoss.Item();
        }
        return loss;
    }
}
