// One optimizer step, the same in every stage: grad_accum micro-batches of forward and backward, clip
// (or only measure the gradient norm when it will be logged), step, zero-grad; temporaries freed here.
// A data-parallel step averages the gradients across ranks by the clip, so that every replica clips and
// steps on the same mean gradient: the last micro-batch's backward starts the all-reduces, bucket by
// bucket as its gradients are ready, and they are waited for between it and the clip.
using Workbench.Experiments.Training;
using Workbench.Torch;
using Workbench.Torch.Nn;
using Workbench.Torch.Optim;

namespace Workbench.Experiments.Stages;

internal static class OptimizerStep
{
    /// <param name="parallel">The ranks to average the gradients of step <paramref name="step"/> (0-based) with, or null.</param>
    /// <param name="microLoss">The scalar loss of micro-batch m (0 .. gradAccum - 1).</param>
    /// <returns>The step's mean loss, and the gradient norm before clipping (NaN when neither clipped nor measured).</returns>
    public static (double Loss, double GradNorm) Run(Module model, IReadOnlyList<Tensor> parameters, Optimizer optimizer,
        int gradAccum, double? gradClip, bool measureNorm, DataParallel? parallel, long step, Func<int, Tensor> microLoss)
    {
        double loss = 0, gradNorm = double.NaN;
        using (TensorScope.Begin())
        {
            for (var m = 0; m < gradAccum; m++)
            {
                var micro = microLoss(m);
                parallel?.BeforeBackward(parameters, reduce: m == gradAccum - 1);
                // Without accumulation the division is skipped: x / 1 is x, but it costs an op and its backward.
                (gradAccum == 1 ? micro : micro / gradAccum).Backward();
                loss += micro.Item() / gradAccum;   // a sync point on CUDA
            }
            parallel?.AverageGradients(step);
            if (gradClip is { } clip) gradNorm = GradClip.ClipByGlobalNorm(parameters, clip);
            else if (measureNorm) gradNorm = GradClip.GradNorm(parameters);
            optimizer.Step();
            model.ZeroGrad();
        }
        return (loss, gradNorm);
    }
}
