// A comparison as Markdown with PNG charts beside it, to paste into a pull request or a lab notebook:
// the runs, each summary metric against the baseline (with the seed statistics of the HTML report),
// the config keys that differ, and one chart per chart of the HTML report.
using System.Globalization;
using System.Text;
using Workbench.Tracking;

namespace Workbench.Reports;

/// <summary>A chart image of a Markdown summary: its file name inside the summary's chart folder, and its PNG.</summary>
public sealed record ChartFile(string FileName, byte[] Png);

/// <summary>The Markdown text, whose image links point into the chart folder, and the charts to write there.</summary>
public sealed record MarkdownSummary(string Text, IReadOnlyList<ChartFile> Charts)
{
    /// <summary>
    /// The summary of <paramref name="runs"/> against <paramref name="baseline"/> (which may also be
    /// among them). <paramref name="chartFolder"/> is the folder the charts go in, relative to the
    /// Markdown file (`results_files` beside `results.md`).
    /// </summary>
    public static MarkdownSummary Build(IReadOnlyList<ReportRun> runs, ReportRun? baseline, ReportOptions options, string chartFolder)
    {
        var table = Comparison.Summarize(runs, baseline, options.Metrics, options.Goals);
        var everyRun = baseline is null ? table.Runs : [baseline, .. table.Runs];
        var text = new StringBuilder();
        text.Append("# ").Append(MarkdownText.Escape(options.Title)).Append("\n\n");
        Runs(text, everyRun, baseline, options.PrimaryMetric);
        Summary(text, table);
        Config(text, everyRun, baseline);
        var charts = DrawCharts(text, table, options.Metrics, chartFolder);
        return new MarkdownSummary(text.ToString(), charts);
    }

    private static void Runs(StringBuilder text, IReadOnlyList<ReportRun> runs, ReportRun? baseline, string? primary)
    {
        text.Append("## Runs\n\n| run | id | status | ")
            .Append(primary is null ? "" : $"{MarkdownText.Escape(primary)} | ")
            .Append("steps | duration | seed | device | git commit |\n|")
            .Append(string.Concat(Enumerable.Repeat(" --- |", primary is null ? 8 : 9))).Append('\n');
        foreach (var run in runs)
        {
            var isBaseline = baseline is not null && run.Id == baseline.Id;
            var steps = run.Metrics.Values.Where(m => m.Steps.Length > 0).Select(m => m.Steps[^1]).DefaultIfEmpty(0).Max();
            text.Append("| ").Append(MarkdownText.Escape(run.Name)).Append(isBaseline ? " (baseline)" : "")
                .Append(" | `").Append(run.Id).Append("` | ").Append(MarkdownText.Escape(run.Status)).Append(" | ");
            if (primary is not null)
            {
                text.Append(run.Summary.TryGetValue(primary, out var value) ? ReportNumbers.Display(value) : "—").Append(" | ");
            }
            text.Append(steps.ToString(CultureInfo.InvariantCulture)).Append(" | ")
                .Append(ReportBuilder.Duration(run.StartedAt, run.EndedAt)).Append(" | ")
                .Append(run.Seed.ToString(CultureInfo.InvariantCulture)).Append(" | ")
                .Append(MarkdownText.Escape(run.Device)).Append(" | ")
                .Append(run.GitCommit is null ? "none" : $"`{run.GitCommit[..Math.Min(run.GitCommit.Length, 12)]}`")
                .Append(run.GitDirty ? " (dirty)" : "").Append(" |\n");
        }
        text.Append('\n');
    }

    // One row per summary metric, one column per run and seed group: a pull request is narrower than a report.
    private static void Summary(StringBuilder text, ComparisonTable table)
    {
        text.Append("## Summary\n\n");
        if (table.Metrics.Count == 0)
        {
            text.Append("No summary metrics.\n\n");
            return;
        }
        var seedGroups = table.Groups.Where(g => g.IsSeedGroup).ToList();
        text.Append(table.Baseline is null
            ? "No baseline: values only.\n\n"
            : $"Deltas against the baseline {MarkdownText.Escape(table.Baseline.Name)}, judged better or worse by each metric's goal." +
              (seedGroups.Count > 0 ? " Seed groups show mean ± std (n) and Welch's t-test against the baseline's seeds." : "") + "\n\n");
        text.Append("| metric | goal |");
        if (table.Baseline is { } b)
        {
            text.Append(' ').Append(MarkdownText.Escape(b.Name)).Append(" (baseline) |");
        }
        foreach (var run in table.Runs)
        {
            text.Append(' ').Append(MarkdownText.Escape(run.Name)).Append(" `").Append(run.Id).Append("` |");
        }
        foreach (var group in seedGroups)
        {
            text.Append(' ').Append(MarkdownText.Escape(group.Label)).Append(" |");
        }
        var columns = 2 + (table.Baseline is null ? 0 : 1) + table.Runs.Count + seedGroups.Count;
        text.Append("\n|").Append(string.Concat(Enumerable.Repeat(" --- |", columns))).Append('\n');
        foreach (var metric in table.Metrics)
        {
            var goal = metric.Goal switch { MetricGoal.Min => "lower is better", MetricGoal.Max => "higher is better", _ => "no direction" };
            text.Append("| ").Append(MarkdownText.Escape(metric.Metric)).Append(" | ").Append(goal).Append(" |");
            if (table.Baseline is not null)
            {
                text.Append(' ').Append(metric.Baseline is double value ? ReportNumbers.Display(value) : "—").Append(" |");
            }
            foreach (var delta in metric.Runs)
            {
                text.Append(' ').Append(Cell(delta.Value is double v ? ReportNumbers.Display(v) : "—", delta.Absolute, delta.Relative, delta.Verdict, null)).Append(" |");
            }
            foreach (var group in seedGroups)
            {
                var summary = metric.Groups.FirstOrDefault(g => ReferenceEquals(g.Group, group));
                text.Append(' ').Append(summary is null ? "—" : Cell(
                    $"{ReportNumbers.Display(summary.Mean)} ± {ReportNumbers.Display(summary.Std)} (n={summary.N})",
                    summary.Absolute, summary.Relative, summary.Verdict, summary.Significance(table.Baseline is not null))).Append(" |");
            }
            text.Append('\n');
        }
        text.Append('\n');
    }

    // `0.24 (-0.06, -20.0%, better; p = ...)`: the value, then its delta and verdict, as the report's cell reads.
    private static string Cell(string value, double? absolute, double? relative, Verdict verdict, string? note)
    {
        var parts = new List<string>();
        if (absolute is double a)
        {
            parts.Add(ReportNumbers.Signed(a));
        }
        if (relative is double r)
        {
            parts.Add(ReportNumbers.Percent(r));
        }
        if (verdict is Verdict.Better or Verdict.Worse or Verdict.Same)
        {
            parts.Add(verdict.ToString().ToLowerInvariant());
        }
        var detail = string.Join(", ", parts) + (string.IsNullOrEmpty(note) ? "" : (parts.Count > 0 ? "; " : "") + note);
        return MarkdownText.Escape(detail.Length == 0 ? value : $"{value} ({detail})");
    }

    private static void Config(StringBuilder text, IReadOnlyList<ReportRun> runs, ReportRun? baseline)
    {
        var rows = ConfigDiff.Table(runs);
        var differing = rows.Where(r => r.Differs).ToList();
        var against = baseline is null ? "the first run" : "the baseline";
        text.Append("## Config\n\n")
            .Append(differing.Count == 0 ? $"No key differs from {against}.\n\n" : $"{differing.Count} of {rows.Count} keys differ from {against}; changed values are bold.\n\n");
        if (differing.Count == 0)
        {
            return;
        }
        text.Append("| key |");
        foreach (var run in runs)
        {
            text.Append(' ').Append(MarkdownText.Escape(run.Name)).Append(" `").Append(run.Id).Append("` |");
        }
        text.Append("\n|").Append(string.Concat(Enumerable.Repeat(" --- |", runs.Count + 1))).Append('\n');
        foreach (var row in differing)
        {
            text.Append("| ").Append(MarkdownText.Escape(row.Key)).Append(" |");
            for (var i = 0; i < row.Values.Count; i++)
            {
                var value = row.Values[i] is { } v ? MarkdownText.Escape(v.Text) : "—";
                text.Append(' ').Append(row.Changed[i] ? $"**{value}**" : value).Append(" |");
            }
            text.Append('\n');
        }
        text.Append('\n');
    }

    // The HTML report's charts, against the step, each a PNG in the chart folder linked by a relative path.
    private static List<ChartFile> DrawCharts(StringBuilder text, ComparisonTable table, MetricCatalog catalog, string chartFolder)
    {
        var baselineGroup = table.Baseline is null ? null : table.Groups[0];
        var charts = ChartGroups.Assign(table.Groups.SelectMany(g => g.Runs).SelectMany(r => r.Metrics.Keys), catalog);
        text.Append("## Curves\n\n");
        if (charts.Count == 0)
        {
            text.Append("No metric series were logged.\n");
            return [];
        }
        var files = new List<ChartFile>();
        foreach (var chart in charts)
        {
            var name = $"{files.Count + 1:00}-{Slug(chart.Title)}.png";
            var png = StaticChart.Render(table.Groups, baselineGroup, chart.Metrics, catalog, new StaticChartOptions(RequireEveryRun: false));
            files.Add(new ChartFile(name, png));
            text.Append("![").Append(MarkdownText.Escape(chart.Title)).Append("](").Append(MarkdownText.Link($"{chartFolder}/{name}")).Append(")\n\n");
        }
        return files;
    }

    // A file name from a chart title, as the report's PNG button names its download (`Learning rate` -> `learning-rate`).
    private static string Slug(string title)
    {
        var slug = new StringBuilder(title.Length);
        foreach (var c in title.ToLowerInvariant())
        {
            slug.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }
        var collapsed = string.Join('-', slug.ToString().Split('-', StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length == 0 ? "chart" : collapsed;
    }
}
