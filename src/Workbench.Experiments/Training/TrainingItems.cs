// What one training step consumes (samples, tokens): the loop derives throughput, epoch and mfu from it.
namespace Workbench.Experiments.Training;

/// <summary>
/// What a step consumes, in <paramref name="Unit"/>s (samples, tokens): <paramref name="PerStep"/> per step,
/// <paramref name="PerEpoch"/> in one pass over the training split, <paramref name="FlopsEach"/> training
/// FLOPs per item (0: no mfu).
/// </summary>
public sealed record TrainingItems(string Unit, long PerStep, long PerEpoch, double FlopsEach = 0)
{
    /// <summary>Passes over the training split after <paramref name="step"/> steps.</summary>
    public double Epoch(long step) => (double)(step * PerStep) / PerEpoch;

    /// <summary>Whole passes after <paramref name="step"/> steps, and the steps taken since the last one began.</summary>
    public (long Epoch, long StepInEpoch) Position(long step)
    {
        var epoch = step * PerStep / PerEpoch;
        var firstStep = (epoch * PerEpoch + PerStep - 1) / PerStep;   // the first step that reached this pass
        return (epoch, step - firstStep);
    }
}
