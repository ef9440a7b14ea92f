// The chart data a report embeds: per seed group and metric, downsampled curves rounded to 7 digits.
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Workbench.Tracking;

namespace Workbench.Reports;

/// <summary>
/// Writes the JSON the page's script draws from:
/// <code>
/// { "entities": [{ "label", "baseline", "seeds", "axes": { "wall"|"epoch"|"tokens": { "s": [steps], "x": [values] } } }],
///   "charts":   [{ "title", "series": [{ "e": entity index, "m": metric, "s": [steps], "y": [values], "lo"?, "hi"? }] }] }
/// </code>
/// A seed group is one entity: its curve is the mean over seeds at the steps they all logged, with
/// the min-max band in lo/hi. Every array holds at most <see cref="MaxPoints"/> points (LTTB).
/// </summary>
internal static class ChartPayload
{
    public const int MaxPoints = 2000;

    public static string Write(IReadOnlyList<SeedGroup> groups, SeedGroup? baselineGroup, MetricCatalog catalog)
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("entities");
            foreach (var group in groups)
            {
                WriteEntity(json, group, ReferenceEquals(group, baselineGroup));
            }
            json.WriteEndArray();

            json.WriteStartArray("charts");
            var charts = ChartGroups.Assign(groups.SelectMany(g => g.Runs).SelectMany(r => r.Metrics.Keys), catalog);
            // Downsampling is most of the work and each curve is independent: spread it over the cores.
            var curves = charts
                .SelectMany(chart => chart.Metrics.SelectMany(metric => groups.Select((group, e) => (Entity: e, Metric: metric, Group: group))))
                .AsParallel().AsOrdered()
                .Select(job => Curve(job.Entity, job.Metric, job.Group))
                .ToLookup(curve => curve?.Metric ?? "");
            foreach (var chart in charts)
            {
                json.WriteStartObject();
                json.WriteString("title", chart.Title);
                json.WriteStartArray("series");
                foreach (var curve in chart.Metrics.SelectMany(metric => curves[metric]))
                {
                    WriteCurve(json, curve!);
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteEntity(Utf8JsonWriter json, SeedGroup group, bool isBaseline)
    {
        json.WriteStartObject();
        json.WriteString("label", group.Label);
        json.WriteBoolean("baseline", isBaseline);
        json.WriteNumber("seeds", group.Runs.Count);
        json.WriteStartObject("axes");
        // Seeds of one group share the spec, so the first run's step-to-x maps serve them all.
        var run = group.Runs[0];
        if (WallClockMap(run) is var (wallSteps, wallSeconds))
        {
            WriteMap(json, "wall", wallSteps, wallSeconds);
        }
        foreach (var axis in ChartGroups.AxisMetrics)
        {
            if (run.Metrics.TryGetValue(axis, out var series) && Finite(series) is var (steps, values) && steps.Length > 0)
            {
                WriteMap(json, axis, steps, values);
            }
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter json, string name, double[] steps, double[] x)
    {
        var kept = Lttb.SelectIndices(steps, x, MaxPoints);
        json.WriteStartObject(name);
        WriteArray(json, "s", Pick(steps, kept), asInteger: true);
        WriteArray(json, "x", Pick(x, kept), asInteger: false);
        json.WriteEndObject();
    }

    // Elapsed seconds since the run's first point, from its longest series that has wall times.
    private static (double[] Steps, double[] Seconds)? WallClockMap(ReportRun run)
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
        return steps.Count == 0 ? null : (steps.ToArray(), seconds.ToArray());
    }

    // One entity's curve of one metric, downsampled: a seed group's mean with its min-max band. Null when it logged none.
    private static DownsampledCurve? Curve(int entity, string metric, SeedGroup group)
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
            return new DownsampledCurve(entity, metric, Pick(steps, kept), Pick(values, kept), null, null);
        }
        var (bandSteps, mean, low, high) = Band(curves);
        var keptBand = Lttb.SelectIndices(bandSteps, mean, MaxPoints);
        return new DownsampledCurve(entity, metric, Pick(bandSteps, keptBand), Pick(mean, keptBand), Pick(low, keptBand), Pick(high, keptBand));
    }

    private static double[] Pick(double[] values, int[] kept) => Array.ConvertAll(kept, i => values[i]);

    private static void WriteCurve(Utf8JsonWriter json, DownsampledCurve curve)
    {
        json.WriteStartObject();
        json.WriteNumber("e", curve.Entity);
        json.WriteString("m", curve.Metric);
        WriteArray(json, "s", curve.Steps, asInteger: true);
        WriteArray(json, "y", curve.Values, asInteger: false);
        if (curve.Low is not null && curve.High is not null)
        {
            WriteArray(json, "lo", curve.Low, asInteger: false);
            WriteArray(json, "hi", curve.High, asInteger: false);
        }
        json.WriteEndObject();
    }

    private sealed record DownsampledCurve(int Entity, string Metric, double[] Steps, double[] Values, double[]? Low, double[]? High);

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

    // JSON has no NaN or infinity: a diverged run's non-finite points are left out of its curve.
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

    private static void WriteArray(Utf8JsonWriter json, string name, double[] values, bool asInteger)
    {
        Span<byte> text = stackalloc byte[32];
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            if (asInteger)
            {
                json.WriteNumberValue((long)value);
            }
            else
            {
                // "G7" is valid JSON number text for every finite double (ReportNumbers.Json7 without the string).
                value.TryFormat(text, out var length, "G7", CultureInfo.InvariantCulture);
                json.WriteRawValue(text[..length], skipInputValidation: true);
            }
        }
        json.WriteEndArray();
    }
}
