// The Markdown summary of a comparison: what a pull request shows (runs, deltas, seed statistics,
// config diff, chart links) and run names that stay text.
namespace Workbench.Reports.Tests;

public sealed class MarkdownSummaryTests
{
    private static readonly ReportOptions Options = new("Wider MLP", SampleRuns.Metrics, PrimaryMetric: "val/loss");

    [Fact]
    public void The_summary_lists_the_runs_their_deltas_against_the_baseline_and_the_keys_that_differ()
    {
        // Given a baseline and a run with 0.8x its loss and a different learning rate
        var baseline = SampleRuns.Run("baseline-mlp", id: "base0001", groupHash: "g0");
        var run = SampleRuns.Run("wide-mlp", id: "wide0001", groupHash: "g1", lossScale: 0.8,
            summary: new Dictionary<string, double> { ["val/loss"] = 0.24, ["val/acc"] = 0.9 },
            configJson: """{"name":"mnist-mlp","seed":1,"train":{"optimizer":{"name":"adam","lr":0.003}}}""");

        // When the summary is built
        var summary = MarkdownSummary.Build([run], baseline, Options, "results_files");

        // Then the runs table shows each run with its primary metric, steps and duration
        Assert.StartsWith("# Wider MLP\n", summary.Text);
        Assert.Contains("| run | id | status | val/loss | steps | duration |", summary.Text);
        Assert.Contains("| baseline-mlp (baseline) | `base0001` | finished | 0.3 | 2000 | 3m 07s |", summary.Text);
        Assert.Contains("| wide-mlp | `wide0001` | finished | 0.24 | 2000 | 3m 07s |", summary.Text);
        // And the loss delta is judged by its goal
        Assert.Contains("| val/loss | lower is better | 0.3 | 0.24 (-0.06, -20.0%, better) |", summary.Text);
        // And only the differing key is listed, the changed value bold
        Assert.Contains("| train.optimizer.lr | 0.001 | **0.003** |", summary.Text);
        Assert.DoesNotContain("| seed | 1 |", summary.Text);
    }

    [Fact]
    public void Seed_groups_show_mean_std_and_the_welch_test_as_the_html_report_does()
    {
        var baselineSeeds = Enumerable.Range(1, 3).Select(i => SampleRuns.Run("base", id: $"b{i}", groupHash: "gb", seed: i,
            summary: new Dictionary<string, double> { ["val/loss"] = 0.40 + i * 0.01 })).ToList();
        var newSeeds = Enumerable.Range(1, 3).Select(i => SampleRuns.Run("new", id: $"n{i}", groupHash: "gn", seed: i,
            summary: new Dictionary<string, double> { ["val/loss"] = 0.30 + i * 0.01 })).ToList();

        var summary = MarkdownSummary.Build([.. baselineSeeds.Skip(1), .. newSeeds], baselineSeeds[0], Options, "x_files");

        Assert.Contains("| base (3 seeds) | new (3 seeds) |", summary.Text);
        Assert.Contains("0.32 ± 0.01 (n=3) (-0.1, -23.81%, better; p = < 0.001 (Welch's t-test): significant)", summary.Text);
    }

    [Fact]
    public void Each_chart_of_the_report_is_a_png_linked_relative_to_the_markdown_file()
    {
        var baseline = SampleRuns.Run("baseline-mlp", id: "base0001", groupHash: "g0");
        var run = SampleRuns.Run("wide-mlp", id: "wide0001", groupHash: "g1", lossScale: 0.8);

        var summary = MarkdownSummary.Build([run], baseline, Options, "my results_files");

        // The report draws loss, accuracy and learning rate: three PNGs, in that order, linked with the space encoded
        Assert.Equal(["01-loss.png", "02-accuracy.png", "03-learning-rate.png"], summary.Charts.Select(c => c.FileName));
        Assert.All(summary.Charts, chart => Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, chart.Png[..4]));
        Assert.Contains("![Loss](my%20results_files/01-loss.png)", summary.Text);
        Assert.Contains("![Learning rate](my%20results_files/03-learning-rate.png)", summary.Text);
    }

    [Fact]
    public void A_run_that_did_not_log_a_charts_metric_is_left_out_of_that_chart_not_refused()
    {
        var withAccuracy = SampleRuns.Run("classifier", id: "cls00001", groupHash: "g0");
        var regression = SampleRuns.Run("regression", id: "reg00001", groupHash: "g1");
        var lossOnly = regression with { Metrics = regression.Metrics.Where(m => m.Key != "val/acc").ToDictionary() };

        var summary = MarkdownSummary.Build([withAccuracy, lossOnly], null, Options, "x_files");

        Assert.Contains(summary.Charts, c => c.FileName == "02-accuracy.png");
        Assert.Contains("No baseline: values only.", summary.Text);
    }

    [Fact]
    public void Run_names_and_config_values_stay_text_not_markdown()
    {
        var run = SampleRuns.Run("*bold* [link](http://x) | <b>", id: "evil0001",
            configJson: """{"name":"a|b","seed":1}""");
        var other = SampleRuns.Run("plain", id: "plain001", groupHash: "g2", configJson: """{"name":"c","seed":1}""");

        var summary = MarkdownSummary.Build([run, other], null, Options, "x_files");

        Assert.Contains(@"\*bold\* \[link\](http://x) \| \<b>", summary.Text);
        Assert.DoesNotContain("[link](", summary.Text);
        Assert.Contains(@"| name | a\|b | **c** |", summary.Text);
        Assert.Equal("samples_per_s", MarkdownText.Escape("samples_per_s"));
        Assert.Equal("p < 0.001", MarkdownText.Escape("p < 0.001"));
    }
}
