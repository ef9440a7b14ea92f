// The report's static sections, written as escaped HTML: runs, summary comparison, config diff, text samples.
using System.Globalization;
using System.Text;
using Workbench.Tracking;

namespace Workbench.Reports;

internal static class ReportSections
{
    public static void Runs(StringBuilder html, IReadOnlyList<ReportRun> runs, ReportRun? baseline)
    {
        html.Append("<section id=\"runs\"><h2>Runs</h2>\n<div class=\"scroll\"><table class=\"runs\">\n<thead><tr>")
            .Append("<th>Run</th><th>Id</th><th>Status</th><th>Duration</th><th>Device</th><th>Git commit</th>")
            .Append("<th>Seed</th><th>libtorch</th><th>Tags</th><th>Notes</th><th>Rerun</th></tr></thead>\n<tbody>\n");
        foreach (var run in runs)
        {
            var isBaseline = baseline is not null && run.Id == baseline.Id;
            html.Append(isBaseline ? "<tr class=\"baseline\">" : "<tr>")
                .Append("<td class=\"name\">").Append(Text(run.Name)).Append(isBaseline ? " <span class=\"badge\">baseline</span>" : "").Append("</td>")
                .Append("<td><code>").Append(Text(run.Id)).Append("</code></td>")
                .Append("<td class=\"status-").Append(Text(run.Status.ToLowerInvariant())).Append("\">").Append(Text(run.Status)).Append("</td>")
                .Append("<td>").Append(Text(ReportBuilder.Duration(run.StartedAt, run.EndedAt))).Append("</td>")
                .Append("<td>").Append(Text(run.Device)).Append("</td>")
                .Append("<td><code>").Append(Text(run.GitCommit is null ? "none" : run.GitCommit[..Math.Min(run.GitCommit.Length, 12)])).Append("</code>")
                .Append(run.GitDirty ? " <span class=\"dirty\">dirty</span>" : "").Append("</td>")
                .Append("<td>").Append(run.Seed.ToString(CultureInfo.InvariantCulture)).Append("</td>")
                .Append("<td>").Append(Text(run.TorchVersion)).Append("</td>")
                .Append("<td>").Append(string.Join(" ", run.Tags.Select(t => $"<span class=\"tag\">{Text(t)}</span>"))).Append("</td>")
                .Append("<td class=\"notes\">").Append(Text(run.Notes)).Append("</td>")
                .Append("<td><code class=\"command\">").Append(Text(run.RerunCommand)).Append("</code></td></tr>\n");
        }
        html.Append("</tbody></table></div>\n</section>\n");
    }

    // One row per run (baseline first) and per seed group, one column per metric: compact for 20 runs.
    public static void Summary(StringBuilder html, ComparisonTable table)
    {
        html.Append("<section id=\"summary\"><h2>Summary</h2>\n");
        if (table.Metrics.Count == 0)
        {
            html.Append("<p>No summary metrics.</p>\n</section>\n");
            return;
        }
        html.Append(table.Baseline is null
                ? "<p>No baseline: values only.</p>\n"
                : $"<p>Deltas against the baseline <b>{Text(table.Baseline.Name)}</b>: green is better and red is worse by each metric's goal.</p>\n")
            .Append("<div class=\"scroll\"><table class=\"summary\">\n<thead><tr><th>Run</th>");
        foreach (var metric in table.Metrics)
        {
            var goal = metric.Goal switch { MetricGoal.Min => "lower is better", MetricGoal.Max => "higher is better", _ => "no direction" };
            html.Append("<th>").Append(Text(metric.Metric)).Append("<br><small>").Append(goal).Append("</small></th>");
        }
        html.Append("</tr></thead>\n<tbody>\n");
        if (table.Baseline is not null)
        {
            html.Append("<tr class=\"baseline\"><td class=\"name\">").Append(Text(table.Baseline.Name)).Append(" <span class=\"badge\">baseline</span><br><small>")
                .Append(Text(table.Baseline.Id)).Append(" · seed ").Append(table.Baseline.Seed.ToString(CultureInfo.InvariantCulture)).Append("</small></td>");
            foreach (var metric in table.Metrics)
            {
                html.Append("<td>").Append(metric.Baseline is double b ? ReportNumbers.Display(b) : "—").Append("</td>");
            }
            html.Append("</tr>\n");
        }
        for (var r = 0; r < table.Runs.Count; r++)
        {
            var run = table.Runs[r];
            html.Append("<tr><td class=\"name\">").Append(Text(run.Name)).Append("<br><small>")
                .Append(Text(run.Id)).Append(" · seed ").Append(run.Seed.ToString(CultureInfo.InvariantCulture)).Append("</small></td>");
            foreach (var metric in table.Metrics)
            {
                var delta = metric.Runs[r];
                DeltaCell(html, delta.Value is double v ? ReportNumbers.Display(v) : "—", delta.Absolute, delta.Relative, delta.Verdict, null);
            }
            html.Append("</tr>\n");
        }
        foreach (var group in table.Groups.Where(g => g.IsSeedGroup))
        {
            var isBaseline = table.Baseline is not null && ReferenceEquals(group, table.Groups[0]);
            html.Append(isBaseline ? "<tr class=\"group baseline\">" : "<tr class=\"group\">").Append("<td class=\"name\">").Append(Text(group.Label))
                .Append(isBaseline ? " <span class=\"badge\">baseline</span>" : "").Append("<br><small>mean ± std (n)</small></td>");
            foreach (var metric in table.Metrics)
            {
                var summary = metric.Groups.FirstOrDefault(g => ReferenceEquals(g.Group, group));
                if (summary is null)
                {
                    html.Append("<td>—</td>");
                    continue;
                }
                var value = $"{ReportNumbers.Display(summary.Mean)} ± {ReportNumbers.Display(summary.Std)} (n={summary.N})";
                DeltaCell(html, value, summary.Absolute, summary.Relative, summary.Verdict, summary.Significance(table.Baseline is not null));
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody></table></div>\n</section>\n");
    }

    /// <summary>A value with its delta against the baseline underneath, coloured by the verdict, and the seed test's words.</summary>
    public static void DeltaCell(StringBuilder html, string value, double? absolute, double? relative, Verdict verdict, string? note)
    {
        html.Append("<td class=\"").Append(verdict.ToString().ToLowerInvariant()).Append("\">").Append(Text(value));
        if (absolute is double a)
        {
            html.Append("<span class=\"delta\">").Append(ReportNumbers.Signed(a));
            if (relative is double rel)
            {
                html.Append(" (").Append(ReportNumbers.Percent(rel)).Append(')');
            }
            html.Append("</span>");
        }
        if (!string.IsNullOrEmpty(note))
        {
            html.Append("<span class=\"note\">").Append(Text(note)).Append("</span>");
        }
        html.Append("</td>");
    }

    public static void Config(StringBuilder html, IReadOnlyList<ReportRun> runs, ReportRun? baseline)
    {
        var table = ConfigDiff.Table(runs);
        html.Append("<section id=\"config\"><h2>Config</h2>\n");
        var rows = new StringBuilder();
        foreach (var row in table)
        {
            rows.Append(row.Differs ? "<tr class=\"differs\">" : "<tr class=\"same\">").Append("<td class=\"key\">").Append(Text(row.Key)).Append("</td>");
            for (var i = 0; i < row.Values.Count; i++)
            {
                rows.Append(row.Changed[i] ? "<td class=\"changed\">" : "<td>")
                    .Append(row.Values[i] is { } value ? Text(value.Text) : "<span class=\"absent\">—</span>").Append("</td>");
            }
            rows.Append("</tr>\n");
        }
        var differing = table.Count(r => r.Differs);
        var against = baseline is null ? "the first run" : "the baseline";
        html.Append("<p>").Append(differing == 0 ? $"No key differs from {against}." : $"{differing} of {table.Count} keys differ from {against}.")
            .Append("</p>\n<input type=\"checkbox\" id=\"config-all\"><label for=\"config-all\">Show all keys</label>\n")
            .Append("<div class=\"scroll\"><table class=\"config\">\n<thead><tr><th>Key</th>");
        foreach (var run in runs)
        {
            html.Append("<th>").Append(Text(run.Name)).Append("</th>");
        }
        html.Append("</tr></thead>\n<tbody>\n").Append(rows).Append("</tbody></table></div>\n</section>\n");
    }

    /// <summary>The section the page's script draws the payload's charts into.</summary>
    /// <param name="note">A paragraph under the title saying what the charts show, when they need one.</param>
    public static void Curves(StringBuilder html, string title, string? note = null)
    {
        html.Append("<section id=\"charts\"><h2>").Append(Text(title)).Append("</h2>\n")
            .Append(note is null ? "" : $"<p>{Text(note)}</p>\n")
            .Append("<noscript><p>The charts need JavaScript.</p></noscript>\n")
            .Append("<div id=\"chart-list\"></div>\n</section>\n");
    }

    public static void Texts(StringBuilder html, IReadOnlyList<ReportRun> runs)
    {
        if (runs.All(r => r.Texts.Count == 0))
        {
            return;
        }
        html.Append("<section id=\"texts\"><h2>Text samples</h2>\n");
        foreach (var run in runs.Where(r => r.Texts.Count > 0))
        {
            html.Append("<h3>").Append(Text(run.Name)).Append("</h3>\n");
            foreach (var text in run.Texts)
            {
                html.Append("<h4>").Append(Text(text.Title)).Append(" <small>step ")
                    .Append(text.Step.ToString(CultureInfo.InvariantCulture)).Append("</small></h4>\n")
                    .Append("<pre class=\"sample\">").Append(Text(text.Text)).Append("</pre>\n");
            }
        }
        html.Append("</section>\n");
    }

    private static string Text(string text) => HtmlText.Escape(text);
}
