// The morning report of a sweep: every trial in the ranked table, a line per scored trial in the
// parallel coordinates (log axis for a log-uniform parameter, pruned ones dashed), the metric by trial
// with the best so far, and each trial's learning curve labelled as pruned where it stopped.
using Workbench.Tracking;

namespace Workbench.Reports.Tests;

public sealed class SweepReportTests
{
    private static SweepReportInput Sweep()
    {
        SweepReportTrial Trial(int number, string status, double? score, long? pruned, string lr, string hidden) =>
            new(number, status, score, pruned, "4.2s", 1, new Dictionary<string, string> { ["train.optimizer.lr"] = lr, ["model.hidden"] = hidden },
                [$"run{number:0000}"]);
        ReportRun Curve(int number, string label) =>
            SampleRuns.Run(label, id: $"run{number:0000}", groupHash: $"trial-{number}") with
            {
                Metrics = SampleRuns.Curves(20, 1.0, number).Where(m => m.Key is "val/acc" or "epoch").ToDictionary(m => m.Key, m => m.Value),
            };
        return new SweepReportInput(
            "sweep mnist (abcd1234)",
            "finished, 4 trials: 2 completed, 1 pruned, 1 failed.",
            "val/acc",
            MetricGoal.Max,
            [new SweepReportParameter("train.optimizer.lr", LogScale: true), new SweepReportParameter("model.hidden", LogScale: false)],
            [
                Trial(2, "completed", 0.97, null, "0.003", "[64]"),
                Trial(0, "completed", 0.91, null, "0.0001", "[32, 16]"),
                Trial(1, "pruned", 0.42, 200, "1e-05", "[64]"),
                Trial(3, "failed", null, null, "0.1", "[32, 16]"),
            ],
            [Curve(0, "trial 0"), Curve(1, "trial 1 · pruned at 200"), Curve(2, "trial 2")],
            "workbench run base.yaml --set train.optimizer.lr=0.003",
            SampleRuns.Metrics);
    }

    [Fact]
    public void The_report_ranks_every_trial_and_draws_each_scored_one_with_log_and_category_axes()
    {
        var html = SweepReport.Build(Sweep());

        var table = html[html.IndexOf("<section id=\"trials\">", StringComparison.Ordinal)..html.IndexOf("<section id=\"parameters\">", StringComparison.Ordinal)];
        Assert.True(table.IndexOf("<td>2</td>", StringComparison.Ordinal) < table.IndexOf("<td>0</td>", StringComparison.Ordinal));
        Assert.Contains("<td class=\"status-pruned\">pruned</td><td>0.42</td><td>200</td>", table);
        Assert.Contains("<td class=\"status-failed\">failed</td><td>—</td>", table);
        Assert.Contains("workbench run base.yaml --set train.optimizer.lr=0.003", html);

        Assert.Contains(">train.optimizer.lr (log)</text>", html);
        Assert.Contains(">[32, 16]</text>", html);   // a list value is a category on its axis
        Assert.Equal(3, Count(html, "<polyline fill=\"none\" points="));   // the failed trial has no score to draw
        Assert.Contains("stroke-dasharray=\"5 4\"><title>trial 1 (pruned)", html);
        Assert.Contains("<title>best so far</title>", html);
        Assert.Contains("pruned at 200", html[html.IndexOf("id=\"report-data\"", StringComparison.Ordinal)..]);
        Assert.DoesNotMatch(@"(?i)(https?:|ftp:|//[a-z0-9-]+\.[a-z]{2,}/)", html);   // inline SVG in HTML needs no namespace URL
    }

    [Fact]
    public void A_sweep_without_scores_yet_says_so_instead_of_drawing()
    {
        var html = SweepReport.Build(Sweep() with { Trials = [], TrialRuns = [], BestCommand = null });

        Assert.Contains("No trial has a score yet.", html);
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
