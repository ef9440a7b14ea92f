// SGD, Adam and AdamW against PyTorch 1.13: ten steps on sum((x W^T + b - y)^2) with two parameter
// groups and an lr change, compared with the gradients and parameters torch recorded at every step.
using Workbench.Torch.Optim;

namespace Workbench.Torch.Tests;

public sealed class OptimizerParityTests
{
    // The same settings as OPTIMIZERS in tests/fixtures/make_optim_fixtures.py.
    private static Optimizer Create(string name, Tensor w, Tensor b) => name switch
    {
        "sgd" => new Sgd([new ParameterGroup([w]), new ParameterGroup([b]) { LearningRate = 0.02, Momentum = 0.5 }],
                         learningRate: 0.01, momentum: 0.9, weightDecay: 0.05, nesterov: true),
        "adam" => new Adam([new ParameterGroup([w]), new ParameterGroup([b]) { LearningRate = 0.05, Betas = (0.8, 0.99), WeightDecay = 0 }],
                           learningRate: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01),
        "adamw" => new AdamW([new ParameterGroup([w]), new ParameterGroup([b]) { WeightDecay = 0, Eps = 1e-6 }],
                             learningRate: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void Ten_steps_match_pytorch_at_every_step(string name)
    {
        // Given PyTorch's recorded run and the same starting parameters
        using var scope = TensorScope.Begin();
        var f = Fixtures.Load($"optim_{name}.safetensors");
        var w = f["init.weight"].Clone().RequiresGrad_();   // (4, 3)
        var b = f["init.bias"].Clone().RequiresGrad_();     // (4)
        using var optimizer = Create(name, w, b);

        for (var k = 1; k <= 10; k++)
        {
            // When each step recomputes the gradient and updates (halving the lr after step 5, as torch did)
            if (k == 6) optimizer.SetLearningRate(0.005);
            optimizer.ZeroGrad();
            using (TensorScope.Begin())
            {
                var loss = (Functional.Linear(f["x"], w, b) - f["y"]).Pow(2).Sum();
                loss.Backward();
                Close.Assert(f[$"step{k}.grad.weight"], w.Grad()!, $"step {k} grad W");
                Close.Assert(f[$"step{k}.grad.bias"], b.Grad()!, $"step {k} grad b");
            }
            optimizer.Step();

            // Then the parameters equal torch's after the same step
            Close.Assert(f[$"step{k}.weight"], w, $"{name} step {k} W");
            Close.Assert(f[$"step{k}.bias"], b, $"{name} step {k} b");
        }
        Assert.Equal(10, optimizer.StepCount);
    }

    [Fact]
    public void A_parameter_in_two_groups_is_rejected()
    {
        using var scope = TensorScope.Begin();
        var w = Tensor.Zeros([2]).RequiresGrad_();

        var e = Assert.Throws<ArgumentException>(() => new Adam([new ParameterGroup([w]), new ParameterGroup([w])]));

        Assert.Contains("more than once", e.Message);
    }

    [Fact]
    public void A_bad_hyperparameter_names_its_group_and_setting()
    {
        using var scope = TensorScope.Begin();
        var w = Tensor.Zeros([2]).RequiresGrad_();
        var b = Tensor.Zeros([2]).RequiresGrad_();

        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Adam([new ParameterGroup([w]), new ParameterGroup([b]) { Betas = (0.9, 1.5) }]));

        Assert.Contains("parameter group 1", e.Message);
        Assert.Contains("beta2", e.Message);
    }
}
