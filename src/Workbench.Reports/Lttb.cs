// Largest-Triangle-Three-Buckets downsampling: keeps a curve's shape in a fixed number of points.
namespace Workbench.Reports;

/// <summary>
/// LTTB (Steinarsson, 2013) that also always keeps the first, last, minimum and maximum points, so a
/// loss spike or the best accuracy never disappears from a chart.
/// </summary>
public static class Lttb
{
    /// <summary>The smallest threshold that leaves room for first, last, minimum and maximum.</summary>
    public const int MinThreshold = 4;

    /// <summary>At most <paramref name="threshold"/> points of (x, y), x ascending, in order.</summary>
    public static (double[] X, double[] Y) Downsample(double[] x, double[] y, int threshold)
    {
        var kept = SelectIndices(x, y, threshold);
        var outX = new double[kept.Length];
        var outY = new double[kept.Length];
        for (var i = 0; i < kept.Length; i++)
        {
            outX[i] = x[kept[i]];
            outY[i] = y[kept[i]];
        }
        return (outX, outY);
    }

    /// <summary>
    /// The ascending indices of the points to keep: all of them when there are no more than
    /// <paramref name="threshold"/>, else at most that many, always with the first, last, minimum and maximum.
    /// </summary>
    public static int[] SelectIndices(double[] x, double[] y, int threshold)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"LTTB needs as many x as y values (got {x.Length} and {y.Length})");
        }
        if (threshold < MinThreshold)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), $"LTTB threshold must be at least {MinThreshold} (got {threshold})");
        }
        var n = x.Length;
        if (n <= threshold)
        {
            return Enumerable.Range(0, n).ToArray();
        }
        int argMin = 0, argMax = 0;
        for (var i = 1; i < n; i++)
        {
            if (y[i] < y[argMin]) argMin = i;
            if (y[i] > y[argMax]) argMax = i;
        }
        var extremes = new SortedSet<int> { argMin, argMax };
        extremes.Remove(0);
        extremes.Remove(n - 1);
        // Leave room for the extremes that LTTB might not pick by itself.
        var picked = Triangles(x, y, threshold - extremes.Count);
        if (extremes.Count == 0)
        {
            return picked;
        }
        var kept = new SortedSet<int>(picked);
        kept.UnionWith(extremes);
        return kept.ToArray();
    }

    // Plain LTTB into `count` >= 2 points: the first, one per bucket of the inner points, the last.
    private static int[] Triangles(double[] x, double[] y, int count)
    {
        var n = x.Length;
        var picked = new int[count];
        var buckets = count - 2;
        var bucketSize = (double)(n - 2) / Math.Max(buckets, 1);
        var previous = 0;
        for (var b = 0; b < buckets; b++)
        {
            var start = 1 + (int)Math.Floor(b * bucketSize);
            var end = Math.Min(1 + (int)Math.Floor((b + 1) * bucketSize), n - 1);
            // The third corner is the mean of the next bucket (the last point after the final bucket).
            var nextEnd = Math.Min(1 + (int)Math.Floor((b + 2) * bucketSize), n - 1);
            double meanX = x[n - 1], meanY = y[n - 1];
            if (b < buckets - 1 && nextEnd > end)
            {
                meanX = 0;
                meanY = 0;
                for (var j = end; j < nextEnd; j++)
                {
                    meanX += x[j];
                    meanY += y[j];
                }
                meanX /= nextEnd - end;
                meanY /= nextEnd - end;
            }
            var best = start;
            var bestArea = -1.0;
            for (var j = start; j < end; j++)
            {
                // Twice the triangle's area; the factor does not change which point wins.
                var area = Math.Abs((x[previous] - meanX) * (y[j] - y[previous]) - (x[previous] - x[j]) * (meanY - y[previous]));
                if (area > bestArea)
                {
                    bestArea = area;
                    best = j;
                }
            }
            previous = best;
            picked[b + 1] = best;
        }
        picked[count - 1] = n - 1;
        return picked;
    }
}
