// Combining what each rank measured into the one figure a single process would log: sums (of losses,
// counts, right answers) add up, the smallest and largest values take the extreme over the ranks. Each
// rank passes the same values in the same order; one all-reduce gathers them all (every rank writes its
// own slots, the others are zeros, so the sum is exact) and each rank combines them in rank order.
namespace Workbench.Experiments.Training;

public enum Across
{
    Sum,
    Min,
    Max,
}

public static class RankReduce
{
    /// <summary>Each value combined over the ranks as its <see cref="Across"/> says; the values themselves without <paramref name="parallel"/>.</summary>
    public static double[] Combine(DataParallel? parallel, IReadOnlyList<(double Value, Across How)> values)
    {
        if (parallel is null) return values.Select(v => v.Value).ToArray();
        var k = values.Count;
        var slots = new double[k * parallel.WorldSize];
        for (var i = 0; i < k; i++) slots[parallel.Rank * k + i] = values[i].Value;
        var gathered = parallel.Sum(slots);
        return Enumerable.Range(0, k).Select(i =>
        {
            var each = Enumerable.Range(0, parallel.WorldSize).Select(r => gathered[r * k + i]).ToList();
            return values[i].How switch
            {
                Across.Min => each.Min(),
                Across.Max => each.Max(),
                _ => each.Aggregate(0.0, (sum, x) => sum + x),
            };
        }).ToArray();
    }

    /// <summary>
    /// A step's logged metrics, each a mean over this rank's equal share of the batch (min_/max_ ones an extreme):
    /// the means averaged over the ranks, the extremes taken over them.
    /// </summary>
    public static IReadOnlyList<(string Name, double Value)> MeansOfEqualShares(DataParallel? parallel, IReadOnlyList<(string Name, double Value)> metrics)
    {
        if (parallel is null || metrics.Count == 0) return metrics;
        var combined = Combine(parallel, metrics.Select(m => (m.Value, HowOf(m.Name))).ToList());
        return metrics.Select((m, i) => (m.Name, HowOf(m.Name) == Across.Sum ? combined[i] / parallel.WorldSize : combined[i])).ToList();
    }

    /// <summary>min_reward and the like are extremes; every other figure adds up (a sum, or a mean to be averaged).</summary>
    public static Across HowOf(string name)
    {
        var leaf = name[(name.LastIndexOf('/') + 1)..];
        return leaf.StartsWith("min_", StringComparison.Ordinal) ? Across.Min
            : leaf.StartsWith("max_", StringComparison.Ordinal) ? Across.Max
            : Across.Sum;
    }
}
