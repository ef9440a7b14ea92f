// Batches of whole examples (conversations, preference pairs) in a seeded per-epoch order, the last partial
// batch dropped: what a step of sft, reward or dpo takes, and the items, epoch and length that follow from it.
using Workbench.Experiments.Specs;
using Workbench.Experiments.Training;

namespace Workbench.Experiments.Stages;

internal sealed class ExampleBatches(TrainSpec train, long seed, int examples)
{
    private readonly EpochOrder _order = new(seed, examples);
    private readonly long _stepsPerEpoch = examples / train.BatchSize;

    public TrainingItems Items => new("samples", train.BatchSize, _stepsPerEpoch * train.BatchSize);

    /// <summary>train.max_steps, else train.epochs of whole batches.</summary>
    public long TotalSteps => SupervisedStage.TotalSteps(train.Epochs, train.MaxSteps, _stepsPerEpoch);

    /// <summary>Examples per micro-batch: the batch split into train.grad_accum parts.</summary>
    public int MicroBatch => train.BatchSize / train.GradAccum;

    /// <summary>The example indices of micro-batch <paramref name="micro"/> of step <paramref name="step"/>.</summary>
    public IEnumerable<int> Micro(long step, int micro) =>
        _order.Batch(step, _stepsPerEpoch, train.BatchSize).Skip(micro * MicroBatch).Take(MicroBatch).Select(r => (int)r);
}
