// One optimizer step as every stage takes it: grad_accum micro-batches make the same update as the
// whole batch, and clipping reports the norm before clipping while bounding the update.
using Workbench.Experiments.Stages;
using Workbench.Torch;
using Workbench.Torch.Nn;
using Workbench.Torch.Optim;

namespace Workbench.Experiments.Tests.Stages;

public sealed class OptimizerStepTests
{
    [Fact]
    public void Four_accumulated_micro_batches_make_the_same_update_as_the_whole_batch()
    {
        // Given two copies of a linear model and 16 rows of data
        using var scope = TensorScope.Begin();
        Torch.Torch.ManualSeed(11);
        var x = Tensor.Randn([16, 4]);                                // (B, F)
        var y = Tensor.Randn([16, 2]);                                // (B, 2)
        using var whole = new Linear(4, 2);
        using var accumulated = new Linear(4, 2);
        accumulated.LoadStateDict(whole.StateDict());
        using var wholeSgd = new Sgd(whole.Parameters().ToList(), 0.1, momentum: 0.9);
        using var accumulatedSgd = new Sgd(accumulated.Parameters().ToList(), 0.1, momentum: 0.9);

        // When one takes steps on the whole batch and the other on 4 micro-batches of 4 rows
        var wholeLosses = new List<double>();
        var accumulatedLosses = new List<double>();
        for (var step = 0; step < 5; step++)
        {
            wholeLosses.Add(OptimizerStep.Run(whole, whole.Parameters().ToList(), wholeSgd, 1, null, false, null, 0,
                _ => Functional.MseLoss(whole.Forward(x), y)).Loss);
            accumulatedLosses.Add(OptimizerStep.Run(accumulated, accumulated.Parameters().ToList(), accumulatedSgd, 4, null, false, null, 0,
                m => Functional.MseLoss(accumulated.Forward(x.Narrow(0, 4 * m, 4)), y.Narrow(0, 4 * m, 4))).Loss);
        }

        // Then the losses and the weights agree within float32 rounding
        Close.Values(wholeLosses, accumulatedLosses, "step loss");
        foreach (var (name, weight) in whole.StateDict())
            Close.Assert(weight, accumulated.StateDict()[name], name);
    }

    [Fact]
    public void Clipping_returns_the_norm_before_clipping_and_bounds_the_update()
    {
        // Given a model whose gradient norm is far above 1 (large targets), under plain SGD with lr 1,
        // so that the update is the clipped gradient itself
        using var scope = TensorScope.Begin();
        Torch.Torch.ManualSeed(12);
        var x = Tensor.Randn([16, 4]);
        var y = Tensor.Randn([16, 2]) * 100;
        using var model = new Linear(4, 2);
        var parameters = model.Parameters().ToList();
        using var sgd = new Sgd(parameters, 1.0);
        Functional.MseLoss(model.Forward(x), y).Backward();
        var unclipped = GradClip.GradNorm(parameters);
        var gradient = parameters.SelectMany(p => p.Grad()!.ToArray<float>()).Select(g => (double)g).ToArray();
        model.ZeroGrad();
        var before = Flat(parameters);

        // When one step clips at norm 1
        var (_, gradNorm) = OptimizerStep.Run(model, parameters, sgd, 1, 1.0, false, null, 0, _ => Functional.MseLoss(model.Forward(x), y));

        // Then it reports the norm before clipping, and the update is the gradient scaled down to norm 1
        Assert.True(unclipped > 10, $"the test needs a gradient norm well above the clip, got {unclipped}");
        Close.Values([unclipped], [gradNorm], "grad_norm");
        var update = before.Zip(Flat(parameters), (b, a) => b - a).ToArray();
        Close.Values([1.0], [Math.Sqrt(update.Sum(u => u * u))], "update norm", rtol: 1e-5);
        Close.Values(gradient.Select(g => g / unclipped).ToArray(), update, "update", rtol: 1e-4, atol: 1e-6);
    }

    private static double[] Flat(IEnumerable<Tensor> parameters) =>
        parameters.SelectMany(p => p.ToArray<float>()).Select(v => (double)v).ToArray();
}
