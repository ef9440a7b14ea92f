// Batches of whole examples (conversations, preference pairs) in a seeded per-epoch order, the last partial
// batch dropped: what a step of sft, reward or dpo takes, and the items, epoch and length that follow from it.
// Data parallel: every rank draws the same global batch; each of its grad_accum micro-batches is split
// between the ranks (rank r takes the r-th consecutive 1/world size of it), so the ranks' m-th micro-batches
// together are the one a single process takes (DataParallel.CheckSpec makes the split even).
using Workbench.Experiments.Specs;
using Workbench.Experiments.Training;

namespace Workbench.Experiments.Stages;

internal sealed class ExampleBatches(TrainSpec train, long seed, int examples, DataParallel? parallel)
{
    private readonly EpochOrder _order = new(seed, examples);
    private readonly long _stepsPerEpoch = examples / train.BatchSize;

    public TrainingItems Items => new("samples", train.BatchSize, _stepsPerEpoch * train.BatchSize);

    /// <summary>train.max_steps, else train.epochs of whole batches.</summary>
    public long TotalSteps => SupervisedStage.TotalSteps(train.Epochs, train.MaxSteps, _stepsPerEpoch);

    /// <summary>Examples per micro-batch of the global batch: the batch split into train.grad_accum parts.</summary>
    public int MicroBatch => train.BatchSize / train.GradAccum;

    /// <summary>The example indices of micro-batch <paramref name="micro"/> of step <paramref name="step"/>, all ranks' shares together.</summary>
    public long[] GlobalMicro(long step, int micro) =>
        _order.Batch(step, _stepsPerEpoch, train.BatchSize).AsSpan(micro * MicroBatch, MicroBatch).ToArray();

    /// <summary>This rank's share of micro-batch <paramref name="micro"/> of step <paramref name="step"/> (all of it in one process).</summary>
    public IEnumerable<int> Micro(long step, int micro)
    {
        var all = GlobalMicro(step, micro);
        return (parallel is null ? all : DataParallel.Slice(all, parallel.Rank, parallel.WorldSize)).Select(r => (int)r);
    }

    /// <summary>This rank's consecutive share of <paramref name="items"/> held-out examples (all of them in one process).</summary>
    public IEnumerable<T> Shard<T>(IReadOnlyList<T> items)
    {
        var (first, count) = parallel?.Shard(items.Count) ?? (0, items.Count);
        return items.Skip((int)first).Take((int)count);
    }
}
