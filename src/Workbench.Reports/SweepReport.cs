// The morning report of a sweep, one self-contained HTML file: where the sweep stands, its baseline, its
// best trial with the command that reruns it and its resolved spec, the trials ranked by the metric, each
// parameter's importance, a parallel-coordinates chart of the parameters against the metric, the metric by
// trial number with the best so far, and the best trials' curves against the baseline's (the run report's
// uPlot charts; every other trial's curve is in the legend, hidden, and pruned trials say where they stopped).
using System.Globalization;
using System.Text;

namespace Workbench.Reports;

public static class SweepReport
{
    public static string Build(SweepReportInput sweep)
    {
        // The baseline first and black, then the best completed trials in rank order (blue, red, green, ...),
        // then every other trial, hidden until its legend entry is clicked: the run report's curves and colours.
        var top = sweep.Trials.Where(t => t.Status == "completed" && t.Score is not null).Take(sweep.BestCurves).ToList();
        var shown = top.Count;
        var best = top.SelectMany(t => t.RunIds).ToHashSet();
        var trialGroups = SeedGroups.Group(sweep.TrialRuns.OrderBy(r => best.Contains(r.Id) ? Rank(sweep, r.Id) : int.MaxValue));
        var baseline = sweep.Baseline is { } b ? new SeedGroup(b.GroupHash, [b]) : null;
        var groups = baseline is null ? trialGroups : [baseline, .. trialGroups];
        var hidden = trialGroups.Where(g => !g.Runs.Any(r => best.Contains(r.Id))).ToHashSet();
        var payload = ChartPayload.Write(groups, baseline, sweep.Catalog, hidden);
        return ReportBuilder.Page(sweep.Title, payload, html =>
        {
            html.Append("<section id=\"sweep\"><p>").Append(HtmlText.Escape(sweep.Summary)).Append("</p>\n");
            if (sweep.BaselineNote is { } note)
            {
                html.Append("<p>").Append(HtmlText.Escape(note)).Append("</p>\n");
            }
            if (sweep.BestCommand is { } command)
            {
                html.Append("<p>Rerun the best trial: <code class=\"command\">").Append(HtmlText.Escape(command)).Append("</code></p>\n");
            }
            if (sweep.BestSpec is { } spec)
            {
                html.Append("<details id=\"best-spec\"><summary>The best trial's spec, resolved</summary>\n<pre class=\"spec\">")
                    .Append(HtmlText.Escape(spec)).Append("</pre></details>\n");
            }
            html.Append("</section>\n");
            Trials(html, sweep);
            Importance(html, sweep);
            html.Append("<section id=\"parameters\"><h2>Parameters against ").Append(HtmlText.Escape(sweep.MetricName)).Append("</h2>\n")
                .Append("<p>One line per scored trial, darker for better; dashed lines were pruned. ")
                .Append("Log axes for log-uniform parameters; the metric axis has the better end up.</p>\n")
                .Append(SweepCharts.ParallelCoordinates(sweep)).Append("\n</section>\n");
            html.Append("<section id=\"by-trial\"><h2>").Append(HtmlText.Escape(sweep.MetricName)).Append(" by trial</h2>\n")
                .Append(SweepCharts.ByTrial(sweep)).Append("\n</section>\n");
            ReportSections.Curves(html, "Best trials against the baseline", Curves(shown, baseline is not null, hidden.Count));
        });
    }

    // What the curves show, for the paragraph under their title.
    private static string Curves(int best, bool anyBaseline, int hidden) =>
        best switch
        {
            0 => "No trial has completed yet: the trials' curves",
            1 => "The best completed trial's curves",
            _ => $"The {best} best completed trials' curves",
        }
        + (anyBaseline ? " against the baseline (black, thicker)" : " (no baseline to draw)")
        + (hidden > 0 ? $"; the other {hidden} trial(s) are in each chart's legend, hidden: click one to show it." : ".");

    private static int Rank(SweepReportInput sweep, string runId)
    {
        for (var i = 0; i < sweep.Trials.Count; i++)
        {
            if (sweep.Trials[i].RunIds.Contains(runId)) return i;
        }
        return int.MaxValue;
    }

    /// <summary>Builds the report and writes it to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, SweepReportInput sweep) => ReportBuilder.WriteFile(path, Build(sweep));

    private static void Trials(StringBuilder html, SweepReportInput sweep)
    {
        html.Append("<section id=\"trials\"><h2>Trials</h2>\n<div class=\"scroll\"><table class=\"trials\">\n<thead><tr>")
            .Append("<th>Trial</th><th>State</th><th>").Append(HtmlText.Escape(sweep.MetricName)).Append("</th>")
            .Append("<th>Pruned at step</th><th>Duration</th><th>Attempts</th>");
        foreach (var parameter in sweep.Parameters)
        {
            html.Append("<th>").Append(HtmlText.Escape(parameter.Path)).Append("</th>");
        }
        html.Append("<th>Runs</th></tr></thead>\n<tbody>\n");
        foreach (var trial in sweep.Trials)
        {
            html.Append("<tr><td>").Append(trial.Number.ToString(CultureInfo.InvariantCulture)).Append("</td>")
                .Append("<td class=\"status-").Append(HtmlText.Escape(trial.Status)).Append("\">").Append(HtmlText.Escape(trial.Status)).Append("</td>")
                .Append("<td>").Append(trial.Score is { } score ? ReportNumbers.Display(score) : "—").Append("</td>")
                .Append("<td>").Append(trial.PrunedStep?.ToString(CultureInfo.InvariantCulture) ?? "").Append("</td>")
                .Append("<td>").Append(HtmlText.Escape(trial.Duration ?? "")).Append("</td>")
                .Append("<td>").Append(trial.Attempts.ToString(CultureInfo.InvariantCulture)).Append("</td>");
            foreach (var parameter in sweep.Parameters)
            {
                var value = trial.Parameters.GetValueOrDefault(parameter.Path, "");
                html.Append("<td title=\"").Append(HtmlText.Escape(value)).Append("\">").Append(HtmlText.Escape(Shown(value))).Append("</td>");
            }
            html.Append("<td>").Append(string.Join(" ", trial.RunIds.Select(id => $"<code>{HtmlText.Escape(id)}</code>"))).Append("</td></tr>\n");
        }
        html.Append("</tbody></table></div>\n</section>\n");
    }

    private static void Importance(StringBuilder html, SweepReportInput sweep)
    {
        if (sweep.Importance is not { } importance)
        {
            return;
        }
        html.Append("<section id=\"importance\"><h2>Parameter importance</h2>\n");
        if (importance.Shares is { } shares)
        {
            html.Append("<p>").Append(HtmlText.Escape(ParameterImportance.Explanation))
                .Append($" From {importance.Trials.ToString(CultureInfo.InvariantCulture)} completed trials.</p>\n")
                .Append(SweepCharts.Importance(shares)).Append('\n');
        }
        else
        {
            html.Append("<p>No importance: ").Append(HtmlText.Escape(importance.Reason ?? "")).Append(".</p>\n");
        }
        html.Append("</section>\n");
    }

    // A swept number as a table shows it (4 significant digits; the exact value is the cell's title); other values as they are.
    private static string Shown(string value) =>
        value.IndexOfAny(['.', 'e', 'E']) >= 0 && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? ReportNumbers.Display(number)
            : value;
}
