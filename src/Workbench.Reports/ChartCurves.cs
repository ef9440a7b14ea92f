// The curves a chart draws, whichever way it is drawn (the HTML report's uPlot, a static PNG or SVG):
// per seed group and metric, finite points only, downsampled by LTTB, a seed group as its mean with a
// min-max band; and each run's map from step to the other x axes.
namespace Workbench.Reports;

/// <summary>
/// One entity's (a run's or seed group's) curve of one metric, at most <see cref="ChartCurves.MaxPoints"/>
/// points in step order; <see cref="Low"/> and <see cref="High"/> are a seed group's min-max band.
/// </summary>
public sealed record ChartCurve(int Entity, string Metric, double[] Steps, double[] Values, double[]? Low, double[]? High);

/// <summary>
/// A run's step-to-x map for one axis, in step order; <see cref="At"/> reads x between logged steps by
/// linear interpolation, clamped at the ends (as the report page's script does).
/// </summary>
public sealed record StepMap(double[] Steps, double[] X)
{
    public double At(double step)
    {
        var hi = Steps.Length - 1;
        if (step <= Steps[0]) return X[0];
        if (step >= Steps[hi]) return X[hi];
        var lo = 0;
        while (hi - lo > 1)
        {
            var mid = (lo + hi) >> 1;
            if (Steps[mid] <= step) lo = mid; else hi = mid;
        }
        return X[lo] + (X[hi] - X[lo]) * (step - Steps[lo]) / (Steps[hi] - Steps[lo]);
    }
}

public static class ChartCurves
{
    /// <summary>The most points a curve keeps: more than any chart is wide, so downsampling hides nothing a reader sees.</summary>
    public const int MaxPoints = 2000;

    /// <summary>The curve of <paramref name="metric"/> for a seed group; null when none of its runs logged a finite point of it.</summary>
    public static ChartCurve? Of(int entity, string metric, SeedGroup group)
    {
        var curves = group.Runs
            .Select(r => r.Metrics.TryGetValue(metric, out var m) ? Finite(m) : (Steps: [], Values: []))
            .Where(c => c.Steps.Length > 0)
            .ToList();
        if (curves.Count == 0)
        {
            return null;
        }
        if (curves.Count == 1)
        {
            var (steps, values) = curves[0];
            var kept = Lttb.SelectIndices(steps, values, MaxPoints);
            return new ChartCurve(entity, metric, Pick(steps, kept), Pick(values, kept), null, null);
        }
        var (bandSteps, mean, low, high) = Band(curves);
        var keptBand = Lttb.SelectIndices(bandSteps, mean, MaxPoints);
        return new ChartCurve(entity, metric, Pick(bandSteps, keptBand), Pick(mean, keptBand), Pick(low, keptBand), Pick(high, keptBand));
    }

    /// <summary>
    /// A run's map from step to <paramref name="axis"/>, every point it logged; null when the run has
    /// nothing to map with (no wall times, or no finite point of the axis's metric). Step maps to itself.
    /// </summary>
    public static StepMap? Map(ReportRun run, ChartAxis axis)
    {
        if (axis == ChartAxis.Time)
        {
            return WallClock(run);
        }
        if (axis.Metric() is not { } metric)
        {
            throw new ArgumentException("the step axis needs no map", nameof(axis));
        }
        return run.Metrics.TryGetValue(metric, out var series) && Finite(series) is var (steps, x) && steps.Length > 0
            ? new StepMap(steps, x)
            : null;
    }

    /// <summary>Keeps the points at <paramref name="kept"/>, as LTTB chose them.</summary>
    public static double[] Pick(double[] values, int[] kept) => Array.ConvertAll(kept, i => values[i]);

    // Elapsed seconds since the run's first point, from its longest series that has wall times.
    private static StepMap? WallClock(ReportRun run)
    {
        var timed = run.Metrics.Values
            .Where(m => m.WallTimes is not null && m.WallTimes.Length == m.Steps.Length && m.Steps.Length > 0)
            .MaxBy(m => m.Steps.Length);
        if (timed is null)
        {
            return null;
        }
        var wall = timed.WallTimes!;
        var start = wall.Where(double.IsFinite).DefaultIfEmpty(0).Min();
        var steps = new List<double>(timed.Steps.Length);
        var seconds = new List<double>(timed.Steps.Length);
        for (var i = 0; i < timed.Steps.Length; i++)
        {
            if (double.IsFinite(wall[i]))
            {
                steps.Add(timed.Steps[i]);
                seconds.Add(wall[i] - start);
            }
        }
        return steps.Count == 0 ? null : new StepMap(steps.ToArray(), seconds.ToArray());
    }

    // Mean, min and max over seeds at the steps every seed logged.
    private static (double[] Steps, double[] Mean, double[] Low, double[] High) Band(List<(double[] Steps, double[] Values)> curves)
    {
        var lookups = curves.Select(c =>
        {
            var map = new Dictionary<double, double>(c.Steps.Length);
            for (var i = 0; i < c.Steps.Length; i++)
            {
                map[c.Steps[i]] = c.Values[i];
            }
            return map;
        }).ToList();
        var steps = curves[0].Steps.Where(s => lookups.All(l => l.ContainsKey(s))).Distinct().ToArray();
        var mean = new double[steps.Length];
        var low = new double[steps.Length];
        var high = new double[steps.Length];
        for (var i = 0; i < steps.Length; i++)
        {
            double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
            foreach (var lookup in lookups)
            {
                var v = lookup[steps[i]];
                sum += v;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
            (mean[i], low[i], high[i]) = (sum / lookups.Count, min, max);
        }
        return (steps, mean, low, high);
    }

    // A diverged run's non-finite points are left out of its curve: no chart can place them.
    private static (double[] Steps, double[] Values) Finite(MetricSeriesData series)
    {
        var count = series.Steps.Length;
        if (Array.TrueForAll(series.Values, double.IsFinite))
        {
            return (Array.ConvertAll(series.Steps, s => (double)s), series.Values);
        }
        var steps = new List<double>(count);
        var values = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            if (double.IsFinite(series.Values[i]))
            {
                steps.Add(series.Steps[i]);
                values.Add(series.Values[i]);
            }
        }
        return (steps.ToArray(), values.ToArray());
    }
}
