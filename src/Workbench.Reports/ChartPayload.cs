// The chart data a report embeds: per seed group and metric, downsampled curves rounded to 7 digits.
using System.Buffers;
using System.Text;
using System.Text.Json;

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

    public static string Write(IReadOnlyList<SeedGroup> groups, SeedGroup? baselineGroup)
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
            var metrics = groups.SelectMany(g => g.Runs).SelectMany(r => r.Metrics.Keys);
            foreach (var chart in ChartGroups.Assign(metrics))
            {
                json.WriteStartObject();
                json.WriteString("title", chart.Title);
                json.WriteStartArray("series");
                foreach (var metric in chart.Metrics)
                {
                    for (var e = 0; e < groups.Count; e++)
                    {
                        WriteSeries(json, e, metric, groups[e]);
                    }
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
        WriteArray(json, "s", steps, kept, asInteger: true);
        WriteArray(json, "x", x, kept, asInteger: false);
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

    private static void WriteSeries(Utf8JsonWriter json, int entity, string metric, SeedGroup group)
    {
        var curves = group.Runs
            .Select(r => r.Metrics.TryGetValue(metric, out var m) ? Finite(m) : (Steps: [], Values: []))
            .Where(c => c.Steps.Length > 0)
            .ToList();
        if (curves.Count == 0)
        {
            return;
        }
        json.WriteStartObject();
        json.WriteNumber("e", entity);
        json.WriteString("m", metric);
        if (curves.Count == 1)
        {
            var (steps, values) = curves[0];
            var kept = Lttb.SelectIndices(steps, values, MaxPoints);
            WriteArray(json, "s", steps, kept, asInteger: true);
            WriteArray(json, "y", values, kept, asInteger: false);
        }
        else
        {
            var (steps, mean, low, high) = Band(curves);
            var kept = Lttb.SelectIndices(steps, mean, MaxPoints);
            WriteArray(json, "s", steps, kept, asInteger: true);
            WriteArray(json, "y", mean, kept, asInteger: false);
            WriteArray(json, "lo", low, kept, asInteger: false);
            WriteArray(json, "hi", high, kept, asInteger: false);
        }
        json.WriteEndObject();
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

    // JSON has no NaN or infinity: a diverged run's non-finite points are left out of its curve.
    private static (double[] Steps, double[] Values) Finite(MetricSeriesData series)
    {
        var count = Math.Min(series.Steps.Length, series.Values.Length);
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

    private static void WriteArray(Utf8JsonWriter json, string name, double[] values, int[] kept, bool asInteger)
    {
        json.WriteStartArray(name);
        foreach (var i in kept)
        {
            if (asInteger)
            {
                json.WriteNumberValue((long)values[i]);
            }
            else
            {
                json.WriteRawValue(ReportNumbers.Json7(values[i]), skipInputValidation: true);
            }
        }
        json.WriteEndArray();
    }
}
