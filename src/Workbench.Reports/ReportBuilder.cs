// Builds a report as one self-contained HTML file: a pipeline's chain (for a pipeline), runs, config diff,
// summary comparison, charts, text samples.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Workbench.Reports;

/// <summary>
/// A report is static HTML for everything textual (escaped here) plus uPlot charts drawn by the
/// page's own script from a non-executable JSON block. It holds no external URL and makes no request.
/// </summary>
public static class ReportBuilder
{
    /// <summary>The report as HTML. <paramref name="baseline"/> may also appear in <paramref name="runs"/>.</summary>
    public static string Build(IReadOnlyList<ReportRun> runs, ReportRun? baseline, ReportOptions options)
    {
        if (runs.Count == 0 && baseline is null)
        {
            throw new ArgumentException("a report needs at least one run", nameof(runs));
        }
        foreach (var run in baseline is null ? runs : [baseline, .. runs])
        {
            Validate(run);
        }
        var table = Comparison.Summarize(runs, baseline, options.Metrics, options.Goals);
        var everyRun = baseline is null ? table.Runs : [baseline, .. table.Runs];
        var payload = ChartPayload.Write(table.Groups, baseline is null ? null : table.Groups[0], options.Metrics);

        return Page(options.Title, payload, html =>
        {
            if (options.Pipeline is { } pipeline)
            {
                PipelineSection.Write(html, pipeline, options);
            }
            ReportSections.Runs(html, everyRun, baseline);
            ReportSections.Summary(html, table);
            ReportSections.Config(html, everyRun, baseline);
            ReportSections.Curves(html, "Curves");
            ReportSections.Texts(html, everyRun);
        });
    }

    /// <summary>
    /// The page around a report's sections: head, style, the title, then the chart data as a JSON block
    /// and the two inline scripts that draw it (the CSP allows those two and nothing else).
    /// </summary>
    internal static string Page(string title, string payload, Action<StringBuilder> sections)
    {
        var (uPlotScript, pageScript) = (ReportAssets.UPlotScript, ReportAssets.PageScript);
        var html = new StringBuilder(payload.Length + 128 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            // Belt and braces: were a tag ever injected, it could fetch nothing and run nothing; only our two scripts run.
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src ")
            .Append(ScriptHash(uPlotScript)).Append(' ').Append(ScriptHash(pageScript))
            .Append("; style-src 'unsafe-inline'; img-src data: blob:\">\n")
            .Append("<title>").Append(HtmlText.Escape(title)).Append("</title>\n")
            .Append("<style>\n").Append(ReportAssets.UPlotStyle).Append('\n').Append(ReportAssets.PageStyle).Append("</style>\n")
            .Append("</head>\n<body>\n<main>\n")
            .Append("<h1>").Append(HtmlText.Escape(title)).Append("</h1>\n");
        sections(html);
        html.Append("</main>\n")
            .Append("<script type=\"application/json\" id=\"report-data\">").Append(HtmlText.ScriptJson(payload)).Append("</script>\n")
            .Append("<script>").Append(uPlotScript).Append("</script>\n")
            .Append("<script>").Append(pageScript).Append("</script>\n")
            .Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Builds the report and writes it to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    public static void Write(string path, IReadOnlyList<ReportRun> runs, ReportRun? baseline, ReportOptions options) =>
        WriteFile(path, Build(runs, baseline, options));

    /// <summary>Writes a report's HTML to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    internal static void WriteFile(string path, string html)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, html, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    // Series from the store come as parallel arrays; a mismatch is a mapping bug worth naming precisely.
    private static void Validate(ReportRun run)
    {
        foreach (var (metric, series) in run.Metrics)
        {
            if (series.Values.Length != series.Steps.Length || (series.WallTimes is not null && series.WallTimes.Length != series.Steps.Length))
            {
                throw new ArgumentException(
                    $"run {run.Id} ({run.Name}), metric '{metric}': {series.Steps.Length} steps but {series.Values.Length} values" +
                    (series.WallTimes is null ? "" : $" and {series.WallTimes.Length} wall times") + "; each point needs all three");
            }
        }
    }

    // A CSP source that allows exactly this inline script's text.
    private static string ScriptHash(string script) =>
        $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)))}'";

    /// <summary>A run's duration as `1h 02m 03s`, or `running` when it has not ended.</summary>
    public static string Duration(DateTimeOffset started, DateTimeOffset? ended)
    {
        if (ended is not DateTimeOffset end)
        {
            return "running";
        }
        var span = end - started;
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes:00}m {span.Seconds:00}s")
            : span.TotalMinutes >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m {span.Seconds:00}s")
                : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0}s");
    }
}
