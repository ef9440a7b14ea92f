// The order training rows are visited in: a fresh seeded permutation per epoch, derived from the run's
// seed and the epoch number alone, so a resumed run sees exactly the batches the original would have.
using Workbench.Data;

namespace Workbench.Experiments.Stages;

public sealed class EpochOrder(long seed, int rows)
{
    private int[] _permutation = [];
    private long _epoch = -1;

    /// <summary>The row indices of global step <paramref name="step"/> (0-based).</summary>
    public long[] Batch(long step, long stepsPerEpoch, int batchSize)
    {
        var epoch = step / stepsPerEpoch;
        if (epoch != _epoch)
        {
            _permutation = Enumerable.Range(0, rows).ToArray();
            new SplitMix64(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)epoch)).Shuffle(_permutation);
            _epoch = epoch;
        }
        var start = (int)(step % stepsPerEpoch) * batchSize;
        var batch = new long[batchSize];
        for (var i = 0; i < batchSize; i++) batch[i] = _permutation[start + i];
        return batch;
    }
}
