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

public sealed class FusedAdamTests
{
    // The multi-tensor native step against the op-by-op one it replaces on the CPU: parameters of
    // several shapes in two groups, one of which has no gradient on some steps (its own step count).
    [Theory]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void The_fused_step_equals_the_op_by_op_step_over_twenty_steps(string name)
    {
        using var scope = TensorScope.Begin();
        Torch.ManualSeed(5);
        Tensor[] Make() => [Tensor.Randn([64, 33]), Tensor.Randn([33]), Tensor.Randn([7, 3, 5]), Tensor.Randn([1])];
        var init = Make();
        var grads = Enumerable.Range(0, 20).Select(_ => Make()).ToArray();
        (Tensor[] Params, AdamOptimizer Optimizer) Build(bool fused)
        {
            var ps = init.Select(t => t.Clone().RequiresGrad_()).ToArray();
            AdamOptimizer o = name == "adam"
                ? new Adam([new ParameterGroup(ps[..2]), new ParameterGroup(ps[2..]) { LearningRate = 0.03, WeightDecay = 0.1 }], 0.01, weightDecay: 0.01)
                : new AdamW([new ParameterGroup(ps[..2]), new ParameterGroup(ps[2..]) { LearningRate = 0.03, WeightDecay = 0 }], 0.01, weightDecay: 0.1);
            o.Fused = fused;
            return (ps, o);
        }
        var (fusedParams, fusedOptimizer) = Build(true);
        var (plainParams, plainOptimizer) = Build(false);

        for (var step = 0; step < 20; step++)
        {
            foreach (var (ps, o) in new[] { (fusedParams, fusedOptimizer), (plainParams, plainOptimizer) })
            {
                o.ZeroGrad();
                using (TensorScope.Begin())
                {
                    // (p * g).sum() gives p the gradient g; the last parameter sits out every third step.
                    var loss = Enumerable.Range(0, ps.Length).Where(i => i < 3 || step % 3 != 0)
                        .Select(i => (ps[i] * grads[step][i]).Sum()).Aggregate((a, b) => a + b);
                    loss.Backward();
                }
                o.Step();
            }
        }

        // The fused optimizer updated every parameter that had a gradient natively (3 on every third
        // step, 4 on the others); the other one none.
        Assert.Equal((7 * 3 + 13 * 4, 0L), (fusedOptimizer.FusedUpdates, plainOptimizer.FusedUpdates));

        for (var i = 0; i < init.Length; i++) Close.Assert(plainParams[i], fusedParams[i], $"{name} parameter {i}");
        using var fusedState = TensorScope.Begin();
        var a = fusedOptimizer.StateDict();
        var b = plainOptimizer.StateDict();
        Assert.Equal(b.Keys.Order(), a.Keys.Order());
        foreach (var key in b.Keys) Close.Assert(b[key], a[key], key);
        fusedOptimizer.Dispose();
        plainOptimizer.Dispose();
    }
}
