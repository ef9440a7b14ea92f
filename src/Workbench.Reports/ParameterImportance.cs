// How much of a sweep's metric each parameter explains, by functional ANOVA over a seeded random forest
// (Hutter et al. 2014; Optuna's default importance): regression trees are fitted to (parameters -> metric)
// of the finished trials, and each tree's prediction is split into a main effect per parameter, the
// prediction averaged over every other parameter. A parameter's importance is the variance of its main
// effect over its whole range, as a share of the prediction's variance, averaged over the trees and
// normalised so the parameters' shares sum to 1.
namespace Workbench.Reports;

public static class ParameterImportance
{
    /// <summary>What the report and `sweep show` say about how the figures were made.</summary>
    public const string Explanation =
        "Importance is the share of the variance of the metric that each parameter explains alone " +
        "(functional ANOVA, the default of Optuna, over a seeded forest of 64 regression trees fitted to the completed trials; " +
        "log-uniform parameters in logarithms, listed values as categories), normalised to sum to 1.";

    public const int Trees = 64;

    /// <param name="features">One row per trial: each parameter's value on the scale it was drawn on (a log for a log range, a category's index).</param>
    /// <param name="bounds">Each parameter's range on that scale: importance integrates over all of it, each point alike.</param>
    /// <param name="targets">The metric of each trial, finite.</param>
    /// <returns>Per parameter, a share in [0, 1]; they sum to 1, or are all 0 when the trees predict one value everywhere.</returns>
    public static double[] Of(IReadOnlyList<double[]> features, IReadOnlyList<(double Low, double High)> bounds, IReadOnlyList<double> targets, int seed = 0)
    {
        var count = features.Count;
        if (count != targets.Count) throw new ArgumentException($"{count} feature rows but {targets.Count} targets", nameof(targets));
        var dims = bounds.Count;
        // Each parameter's range as [0, 1]: a leaf's volume is then its share of the search space.
        var x = features.Select(row => row.Select((v, d) => Unit(v, bounds[d])).ToArray()).ToArray();
        var random = new Random(seed);
        var sums = new double[dims];
        var counted = 0;
        for (var t = 0; t < Trees; t++)
        {
            // Bootstrap: each tree sees a resample of the trials, so the forest's trees differ.
            var sample = Enumerable.Range(0, count).Select(_ => random.Next(count)).ToArray();
            var leaves = new List<Leaf>();
            Grow(x, targets, sample, Enumerable.Repeat(0.0, dims).ToArray(), Enumerable.Repeat(1.0, dims).ToArray(), leaves, depth: 0);
            if (MainEffects(leaves, dims) is { } shares)
            {
                for (var d = 0; d < dims; d++) sums[d] += shares[d];
                counted++;
            }
        }
        if (counted == 0) return new double[dims];
        var total = sums.Sum();
        return total > 0 ? sums.Select(s => s / total).ToArray() : new double[dims];
    }

    private const int MaxDepth = 64;

    private sealed record Leaf(double[] Low, double[] High, double Value);

    private static double Unit(double value, (double Low, double High) range) =>
        range.High > range.Low ? Math.Clamp((value - range.Low) / (range.High - range.Low), 0, 1) : 0.5;

    // CART regression: split where the summed squared error falls most, down to single values.
    private static void Grow(double[][] x, IReadOnlyList<double> y, int[] rows, double[] low, double[] high, List<Leaf> leaves, int depth)
    {
        var mean = rows.Average(r => y[r]);
        var error = rows.Sum(r => (y[r] - mean) * (y[r] - mean));
        var best = (Gain: 1e-12 * Math.Max(1, error), Dim: -1, Threshold: 0.0);
        if (rows.Length >= 2 && depth < MaxDepth && error > 0)
        {
            for (var d = 0; d < low.Length; d++)
            {
                var sorted = rows.OrderBy(r => x[r][d]).ToArray();
                double leftSum = 0, leftSquares = 0, totalSum = rows.Sum(r => y[r]), totalSquares = rows.Sum(r => y[r] * y[r]);
                for (var i = 0; i < sorted.Length - 1; i++)
                {
                    var value = y[sorted[i]];
                    leftSum += value;
                    leftSquares += value * value;
                    if (x[sorted[i]][d] == x[sorted[i + 1]][d]) continue;
                    int n = i + 1, m = sorted.Length - n;
                    var rightSum = totalSum - leftSum;
                    var split = leftSquares - leftSum * leftSum / n + (totalSquares - leftSquares) - rightSum * rightSum / m;
                    if (error - split > best.Gain)
                        best = (error - split, d, (x[sorted[i]][d] + x[sorted[i + 1]][d]) / 2);
                }
            }
        }
        if (best.Dim < 0)
        {
            leaves.Add(new Leaf(low, high, mean));
            return;
        }
        var (dim, threshold) = (best.Dim, best.Threshold);
        var (leftHigh, rightLow) = ((double[])high.Clone(), (double[])low.Clone());
        leftHigh[dim] = threshold;
        rightLow[dim] = threshold;
        Grow(x, y, rows.Where(r => x[r][dim] <= threshold).ToArray(), low, leftHigh, leaves, depth + 1);
        Grow(x, y, rows.Where(r => x[r][dim] > threshold).ToArray(), rightLow, high, leaves, depth + 1);
    }

    // The tree's prediction is constant on each leaf's box. Parameter d's main effect at a point of its
    // axis is the prediction averaged over the other parameters: the leaves whose boxes hold that point,
    // weighted by their extent in the other dimensions. It is constant between leaf edges on axis d.
    // Null when the tree predicts one value everywhere (nothing to explain).
    private static double[]? MainEffects(List<Leaf> leaves, int dims)
    {
        var volumes = leaves.Select(l => Enumerable.Range(0, dims).Aggregate(1.0, (v, d) => v * (l.High[d] - l.Low[d]))).ToArray();
        var mean = leaves.Select((l, i) => volumes[i] * l.Value).Sum();
        var variance = leaves.Select((l, i) => volumes[i] * (l.Value - mean) * (l.Value - mean)).Sum();
        if (!(variance > 1e-300)) return null;
        var shares = new double[dims];
        for (var d = 0; d < dims; d++)
        {
            var edges = leaves.SelectMany(l => new[] { l.Low[d], l.High[d] }).Distinct().Order().ToArray();
            var main = 0.0;
            for (var k = 0; k < edges.Length - 1; k++)
            {
                var at = (edges[k] + edges[k + 1]) / 2;
                var effect = 0.0;
                for (var i = 0; i < leaves.Count; i++)
                {
                    var leaf = leaves[i];
                    if (leaf.Low[d] <= at && at < leaf.High[d]) effect += leaf.Value * volumes[i] / (leaf.High[d] - leaf.Low[d]);
                }
                main += (edges[k + 1] - edges[k]) * (effect - mean) * (effect - mean);
            }
            shares[d] = main / variance;
        }
        return shares;
    }
}

/// <summary>
/// A sweep's parameter importance as reports and `sweep show` present it: each swept key's share, in the
/// sweep's parameter order, computed from <paramref name="Trials"/> completed trials; or, with
/// <paramref name="Shares"/> null, <paramref name="Reason"/> says why there is none (too few trials).
/// </summary>
public sealed record ImportanceTable(int Trials, IReadOnlyList<ParameterShare>? Shares, string? Reason);

public sealed record ParameterShare(string Path, double Share);
