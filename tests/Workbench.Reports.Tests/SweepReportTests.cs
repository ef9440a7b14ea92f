// The morning report of a sweep: every trial in the ranked table, a line per scored trial in the
// parallel coordinates (log axis for a log-uniform parameter, pruned ones dashed), the metric by trial
// with the best so far, and each trial's learning curve labelled as pruned where it stopped.
using Workbench.Tracking;

namespace Workbench.Reports.Tests;

public sealed class SweepReportTests
{
    internal static SweepReportInput Sweep()
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

    // Five completed trials and the baseline: the three best drawn against it, the other two in the legend, hidden.
    internal static SweepReportInput WithBaseline()
    {
        var trials = Enumerable.Range(0, 5).Select(n => new SweepReportTrial(n, "completed", 0.9 + n / 100.0, null, "1.0s", 1,
            new Dictionary<string, string> { ["train.optimizer.lr"] = $"0.00{n + 1}2345678", ["model.hidden"] = "[64]" }, [$"run{n:0000}"]))
            .OrderByDescending(t => t.Score).ToList();
        ReportRun Curve(int number) => SampleRuns.Run($"trial {number}", id: $"run{number:0000}", groupHash: $"trial-{number}") with
        {
            Metrics = SampleRuns.Curves(20, 1.0, number).Where(m => m.Key is "val/acc" or "train/loss").ToDictionary(m => m.Key, m => m.Value),
        };
        var baseline = SampleRuns.Run("baseline mnist-mlp", id: "base0001", groupHash: "baseline") with
        {
            Metrics = SampleRuns.Curves(20, 1.0, 9).Where(m => m.Key is "val/acc" or "train/loss").ToDictionary(m => m.Key, m => m.Value),
        };
        return Sweep() with
        {
            Trials = trials,
            TrialRuns = [.. Enumerable.Range(0, 5).Select(Curve)],
            Baseline = baseline,
            BaselineNote = "Baseline: mnist-mlp (base0001), the spec's `baseline: mnist-mlp@best`.",
            BestSpec = "# Resolved experiment spec: every default filled in.\nname: mnist-mlp\n",
            Importance = new ImportanceTable(5, [new("train.optimizer.lr", 0.8), new("model.hidden", 0.2)], null),
        };
    }

    [Fact]
    public void The_best_three_trials_are_drawn_against_the_baseline_and_the_others_start_hidden()
    {
        var html = SweepReport.Build(WithBaseline());

        var data = System.Text.Json.JsonDocument.Parse(Between(html, "id=\"report-data\">", "</script>")).RootElement;
        var entities = data.GetProperty("entities").EnumerateArray()
            .Select(e => (Label: e.GetProperty("label").GetString(), Baseline: e.GetProperty("baseline").GetBoolean(), Hidden: e.TryGetProperty("hidden", out var h) && h.GetBoolean()))
            .ToList();
        Assert.Equal([("baseline mnist-mlp", true, false), ("trial 4", false, false), ("trial 3", false, false), ("trial 2", false, false),
            ("trial 0", false, true), ("trial 1", false, true)], entities);
        var series = data.GetProperty("charts").EnumerateArray().SelectMany(c => c.GetProperty("series").EnumerateArray()).Select(s => s.GetProperty("label").GetString()).ToList();
        Assert.Contains("baseline mnist-mlp · val/acc", series);
        Assert.Contains("baseline mnist-mlp · train/loss", series);
        Assert.Contains("trial 4 · train/loss", series);
        Assert.Contains("<h2>Best trials against the baseline</h2>\n<p>The 3 best", html);
        Assert.Contains("The 3 best completed trials&#39; curves against the baseline (black, thicker); the other 2 trial(s) are in each chart&#39;s legend, hidden", html);
        Assert.Contains("Baseline: mnist-mlp (base0001), the spec&#39;s `baseline: mnist-mlp@best`.", html);
        Assert.Contains("<pre class=\"spec\"># Resolved experiment spec: every default filled in.\nname: mnist-mlp\n</pre>", html);
    }

    [Fact]
    public void Importance_is_drawn_as_bars_with_how_it_was_computed_or_the_reason_there_is_none()
    {
        var html = SweepReport.Build(WithBaseline());

        var section = Between(html, "<section id=\"importance\">", "</section>");
        Assert.Contains("functional ANOVA", section);
        Assert.Contains("From 5 completed trials.", section);
        Assert.True(section.IndexOf("<title>train.optimizer.lr: 0.80</title>", StringComparison.Ordinal) < section.IndexOf("<title>model.hidden: 0.20</title>", StringComparison.Ordinal));

        var none = SweepReport.Build(WithBaseline() with { Importance = new ImportanceTable(2, null, "not enough trials: 2 completed, 3 needed") });
        Assert.Contains("<p>No importance: not enough trials: 2 completed, 3 needed.</p>", none);
    }

    [Fact]
    public void A_swept_fraction_shows_four_digits_in_the_table_with_the_exact_value_as_its_title()
    {
        var html = SweepReport.Build(WithBaseline());

        Assert.Contains("<td title=\"0.0052345678\">0.005235</td><td title=\"[64]\">[64]</td>", html);
    }

    [Fact]
    public void Without_a_baseline_the_report_says_why_and_draws_the_trials_alone()
    {
        var html = SweepReport.Build(WithBaseline() with { Baseline = null, BaselineNote = "No baseline: the spec names no `baseline`." });

        Assert.Contains("No baseline: the spec names no `baseline`.", html);
        Assert.Contains("curves (no baseline to draw)", html);
        Assert.DoesNotContain("\"baseline\":true", html);
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
