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
/// { "axes":     { "step": "step", "time": "wall time (s)", ... },   (key to title, in menu order)
///   "style":    { "width", "baselineWidth", "raw", "band", "bandEdge" },   (line widths, opacities)
///   "entities": [{ "label", "baseline", "hidden"?, "colour", "axes": { "time"|"epoch"|"tokens": { "s": [steps], "x": [values] } } }],
///   "charts":   [{ "title", "series": [{ "e": entity index, "m": metric, "label", "dash": [on, off, ...], "s": [steps], "y": [values], "lo"?, "hi"? }] }] }
/// </code>
/// The curves, colours and dashes are those of <see cref="ChartCurves"/> and <see cref="ChartStyle"/>,
/// which static charts draw too. Every array holds at most <see cref="ChartCurves.MaxPoints"/> points (LTTB).
/// A hidden entity's curves start hidden: its legend entry shows them.
/// </summary>
internal static class ChartPayload
{
    public static string Write(IReadOnlyList<SeedGroup> groups, SeedGroup? baselineGroup, MetricCatalog catalog, IReadOnlySet<SeedGroup>? hidden = null)
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("axes");
            foreach (var axis in ChartAxes.All)
            {
                json.WriteString(axis.Key(), axis.Title());
            }
            json.WriteEndObject();
            json.WriteStartObject("style");
            json.WriteNumber("width", ChartStyle.LineWidth);
            json.WriteNumber("baselineWidth", ChartStyle.BaselineLineWidth);
            json.WriteNumber("raw", ChartStyle.RawAlpha);
            json.WriteNumber("band", ChartStyle.BandAlpha);
            json.WriteNumber("bandEdge", ChartStyle.BandEdgeAlpha);
            json.WriteEndObject();

            var colours = ChartStyle.Colours(groups.Select(g => ReferenceEquals(g, baselineGroup)).ToList());
            json.WriteStartArray("entities");
            for (var e = 0; e < groups.Count; e++)
            {
                WriteEntity(json, groups[e], ReferenceEquals(groups[e], baselineGroup), hidden?.Contains(groups[e]) == true, colours[e]);
            }
            json.WriteEndArray();

            json.WriteStartArray("charts");
            var charts = ChartGroups.Assign(groups.SelectMany(g => g.Runs).SelectMany(r => r.Metrics.Keys), catalog);
            // Downsampling is most of the work and each curve is independent: spread it over the cores.
            var curves = charts
                .SelectMany(chart => chart.Metrics.SelectMany(metric => groups.Select((group, e) => (Entity: e, Metric: metric, Group: group))))
                .AsParallel().AsOrdered()
                .Select(job => ChartCurves.Of(job.Entity, job.Metric, job.Group))
                .ToLookup(curve => curve?.Metric ?? "");
            foreach (var chart in charts)
            {
                json.WriteStartObject();
                json.WriteString("title", chart.Title);
                json.WriteStartArray("series");
                for (var m = 0; m < chart.Metrics.Count; m++)
                {
                    foreach (var curve in curves[chart.Metrics[m]])
                    {
                        WriteCurve(json, curve!, ChartStyle.Label(groups[curve!.Entity], curve.Metric), ChartStyle.Dash(m));
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

    private static void WriteEntity(Utf8JsonWriter json, SeedGroup group, bool isBaseline, bool isHidden, string colour)
    {
        json.WriteStartObject();
        json.WriteString("label", group.Label);
        json.WriteBoolean("baseline", isBaseline);
        if (isHidden)
        {
            json.WriteBoolean("hidden", true);
        }
        json.WriteString("colour", colour);
        json.WriteStartObject("axes");
        // Seeds of one group share the spec, so the first run's step-to-x maps serve them all.
        foreach (var axis in ChartAxes.All.Where(a => a != ChartAxis.Step))
        {
            if (ChartCurves.Map(group.Runs[0], axis) is { } map)
            {
                var kept = Lttb.SelectIndices(map.Steps, map.X, ChartCurves.MaxPoints);
                json.WriteStartObject(axis.Key());
                WriteArray(json, "s", ChartCurves.Pick(map.Steps, kept), asInteger: true);
                WriteArray(json, "x", ChartCurves.Pick(map.X, kept), asInteger: false);
                json.WriteEndObject();
            }
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteCurve(Utf8JsonWriter json, ChartCurve curve, string label, IReadOnlyList<float> dash)
    {
        json.WriteStartObject();
        json.WriteNumber("e", curve.Entity);
        json.WriteString("m", curve.Metric);
        json.WriteString("label", label);
        json.WriteStartArray("dash");
        foreach (var length in dash)
        {
            json.WriteNumberValue(length);
        }
        json.WriteEndArray();
        WriteArray(json, "s", curve.Steps, asInteger: true);
        WriteArray(json, "y", curve.Values, asInteger: false);
        if (curve.Low is not null && curve.High is not null)
        {
            WriteArray(json, "lo", curve.Low, asInteger: false);
            WriteArray(json, "hi", curve.High, asInteger: false);
        }
        json.WriteEndObject();
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
