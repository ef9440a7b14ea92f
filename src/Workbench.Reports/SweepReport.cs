// The morning report of a sweep, one self-contained HTML file: where the sweep stands and its best trial
// with the command that reruns it, the trials ranked by the metric, a parallel-coordinates chart of the
// parameters against the metric, the metric by trial number with the best so far, and every trial's
// learning curve (uPlot, as in the run report; pruned trials say where they stopped).
using System.Globalization;
using System.Text;

namespace Workbench.Reports;

public static class SweepReport
{
    public static string Build(SweepReportInput sweep)
    {
        var groups = SeedGroups.Group(sweep.TrialRuns);
        var payload = ChartPayload.Write(groups, null, sweep.Catalog);
        return ReportBuilder.Page(sweep.Title, payload, html =>
        {
            html.Append("<section id=\"sweep\"><p>").Append(HtmlText.Escape(sweep.Summary)).Append("</p>\n");
            if (sweep.BestCommand is { } command)
            {
                html.Append("<p>Rerun the best trial: <code class=\"command\">").Append(HtmlText.Escape(command)).Append("</code></p>\n");
            }
            html.Append("</section>\n");
            Trials(html, sweep);
            html.Append("<section id=\"parameters\"><h2>Parameters against ").Append(HtmlText.Escape(sweep.MetricName)).Append("</h2>\n")
                .Append("<p>One line per scored trial, darker for better; dashed lines were pruned. ")
                .Append("Log axes for log-uniform parameters; the metric axis has the better end up.</p>\n")
                .Append(SweepCharts.ParallelCoordinates(sweep)).Append("\n</section>\n");
            html.Append("<section id=\"by-trial\"><h2>").Append(HtmlText.Escape(sweep.MetricName)).Append(" by trial</h2>\n")
                .Append(SweepCharts.ByTrial(sweep)).Append("\n</section>\n");
            ReportSections.Curves(html, "Learning curves");
        });
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
                html.Append("<td>").Append(HtmlText.Escape(trial.Parameters.GetValueOrDefault(parameter.Path, ""))).Append("</td>");
            }
            html.Append("<td>").Append(string.Join(" ", trial.RunIds.Select(id => $"<code>{HtmlText.Escape(id)}</code>"))).Append("</td></tr>\n");
        }
        html.Append("</tbody></table></div>\n</section>\n");
    }
}
