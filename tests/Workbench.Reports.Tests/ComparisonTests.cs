// Baseline comparison: deltas, better/worse by goal, seed groups by group hash, p-values.
using Workbench.Tracking;

namespace Workbench.Reports.Tests;

public sealed class ComparisonTests
{
    private static Dictionary<string, double> Summary(params (string Key, double Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Lower_loss_and_higher_accuracy_are_better_and_the_opposite_is_worse()
    {
        // Given a baseline and a run with lower loss, lower accuracy, faster steps and a different lr
        var baseline = SampleRuns.Run("base", id: "b", groupHash: "g1",
            summary: Summary(("val/loss", 0.40), ("val/acc", 0.90), ("step_ms", 20), ("lr", 1e-3), ("tokens_per_s", 1000)));
        var run = SampleRuns.Run("new", id: "n", groupHash: "g2",
            summary: Summary(("val/loss", 0.30), ("val/acc", 0.85), ("step_ms", 25), ("lr", 3e-3), ("tokens_per_s", 1000)));

        // When they are compared
        var table = Comparison.Summarize([run], baseline, SampleRuns.Metrics);
        RunDelta Row(string metric) => table.Metrics.Single(m => m.Metric == metric).Runs.Single();

        // Then each delta is coloured by its metric's direction
        Assert.Equal(Verdict.Better, Row("val/loss").Verdict);
        Assert.Equal(-0.10, Row("val/loss").Absolute!.Value, 1e-12);
        Assert.Equal(-0.25, Row("val/loss").Relative!.Value, 1e-12);
        Assert.Equal(Verdict.Worse, Row("val/acc").Verdict);
        Assert.Equal(Verdict.Worse, Row("step_ms").Verdict);
        Assert.Equal(Verdict.Neutral, Row("lr").Verdict);
        Assert.Equal(Verdict.Same, Row("tokens_per_s").Verdict);
    }

    [Fact]
    public void Goals_come_from_the_catalog_the_report_is_given_and_unknown_metrics_are_neutral()
    {
        // Given a catalog where `score` is maximised, and a summary with a best/ value and a metric no catalog row holds
        var catalog = new MetricCatalog([new MetricDefinition("score", MetricGoal.Max, "Score", "a score")]);
        var baseline = SampleRuns.Run("base", id: "b", summary: Summary(("score", 1.0), ("best/score", 1.0), ("mystery", 1.0)));
        var run = SampleRuns.Run("new", id: "n", groupHash: "g2", summary: Summary(("score", 2.0), ("best/score", 2.0), ("mystery", 2.0)));

        // When they are compared under that catalog
        var table = Comparison.Summarize([run], baseline, catalog);
        MetricComparison Row(string metric) => table.Metrics.Single(m => m.Metric == metric);

        // Then the catalog's goal decides (best/ included), and the unknown metric has no direction
        Assert.Equal(Verdict.Better, Row("score").Runs.Single().Verdict);
        Assert.Equal(MetricGoal.Max, Row("best/score").Goal);
        Assert.Equal(MetricGoal.Neutral, Row("mystery").Goal);
        Assert.Equal(Verdict.Neutral, Row("mystery").Runs.Single().Verdict);
    }

    [Fact]
    public void Charts_follow_the_catalog_order_and_an_unknown_metric_gets_a_chart_of_its_own()
    {
        // Given logged keys: two losses, an accuracy, an axis, a run-level figure and a key no row holds
        string[] keys = ["val/acc", "zeta", "val/loss", "train/loss", "epoch", "params"];

        // When they are assigned to charts
        var charts = ChartGroups.Assign(keys, SampleRuns.Metrics);

        // Then losses share the first chart, accuracy follows, the unknown key is drawn alone, and axes and figures are not curves
        Assert.Equal(["Loss", "Accuracy", "zeta"], charts.Select(c => c.Title));
        Assert.Equal(["train/loss", "val/loss"], charts[0].Metrics);
    }

    [Fact]
    public void The_report_goal_map_overrides_the_built_in_direction()
    {
        // Given a reward metric the user says to maximise, and a loss they say to maximise (odd but theirs)
        var goals = new Dictionary<string, string> { ["reward"] = "max", ["val/loss"] = "max" };
        var baseline = SampleRuns.Run("base", id: "b", summary: Summary(("reward", 1.0), ("val/loss", 1.0)));
        var run = SampleRuns.Run("new", id: "n", groupHash: "g2", summary: Summary(("reward", 2.0), ("val/loss", 2.0)));

        var table = Comparison.Summarize([run], baseline, SampleRuns.Metrics, goals);

        Assert.All(table.Metrics, m => Assert.Equal(Verdict.Better, m.Runs.Single().Verdict));
    }

    [Fact]
    public void An_unknown_goal_is_an_error_naming_the_metric()
    {
        var error = Assert.Throws<ArgumentException>(() => SampleRuns.Metrics.GoalOf("reward", new Dictionary<string, string> { ["reward"] = "up" }));
        Assert.Contains("reward", error.Message);
    }

    [Fact]
    public void Runs_that_differ_only_by_seed_are_grouped_by_group_hash()
    {
        // Given three runs of one spec with different seeds and one run of another spec
        var runs = new[]
        {
            SampleRuns.Run("a", id: "a1", groupHash: "ga", seed: 1),
            SampleRuns.Run("b", id: "b1", groupHash: "gb", seed: 1),
            SampleRuns.Run("a", id: "a2", groupHash: "ga", seed: 2),
            SampleRuns.Run("a", id: "a3", groupHash: "ga", seed: 3),
        };

        // When they are grouped
        var groups = SeedGroups.Group(runs);

        // Then the seeds of `a` form one group, in input order
        Assert.Equal(["ga", "gb"], groups.Select(g => g.GroupHash));
        Assert.Equal(["a1", "a2", "a3"], groups[0].Runs.Select(r => r.Id));
        Assert.Equal("a (3 seeds)", groups[0].Label);
        Assert.False(groups[1].IsSeedGroup);
    }

    [Fact]
    public void Seed_groups_on_both_sides_get_mean_std_and_a_welch_p_value()
    {
        // Given a baseline with 4 seeds and a compared config with 3 seeds
        double[] baseAcc = [0.75, 0.77, 0.74, 0.76];
        double[] newAcc = [0.81, 0.79, 0.83];
        var baseline = SampleRuns.Run("base", id: "b0", groupHash: "gb", summary: Summary(("val/acc", baseAcc[0])));
        var runs = baseAcc.Skip(1).Select((v, i) => SampleRuns.Run("base", id: $"b{i + 1}", groupHash: "gb", seed: i + 2, summary: Summary(("val/acc", v))))
            .Concat(newAcc.Select((v, i) => SampleRuns.Run("new", id: $"n{i}", groupHash: "gn", seed: i + 1, summary: Summary(("val/acc", v)))))
            .ToList();

        // When they are compared
        var row = Comparison.Summarize(runs, baseline, SampleRuns.Metrics).Metrics.Single();

        // Then the baseline group comes first, and the new group's mean is compared with the baseline's mean
        Assert.True(row.Groups[0].IsBaseline);
        var group = row.Groups[1];
        Assert.Equal(3, group.N);
        Assert.Equal(0.81, group.Mean, 1e-12);
        Assert.Equal(0.02, group.Std, 1e-12);
        Assert.Equal(0.81 - 0.755, group.Absolute!.Value, 1e-12);
        Assert.Equal(Verdict.Better, group.Verdict);
        Assert.Equal(0.0218186741246943, group.Test!.PValue, 1e-9);
        Assert.True(group.Test.Significant);
    }

    [Fact]
    public void A_baseline_with_one_seed_gives_no_p_value()
    {
        var baseline = SampleRuns.Run("base", id: "b", groupHash: "gb", summary: Summary(("val/acc", 0.7)));
        var runs = new[] { 0.8, 0.82 }.Select((v, i) => SampleRuns.Run("new", id: $"n{i}", groupHash: "gn", summary: Summary(("val/acc", v)))).ToList();

        var group = Comparison.Summarize(runs, baseline, SampleRuns.Metrics).Metrics.Single().Groups.Single();

        Assert.Null(group.Test);
        Assert.Equal(0.81 - 0.7, group.Absolute!.Value, 1e-12);
        Assert.Equal("no p-value: the baseline needs 2 or more seeds", group.Significance(hasBaseline: true));
    }

    [Fact]
    public void A_baseline_listed_among_the_runs_is_compared_once()
    {
        var baseline = SampleRuns.Run("base", id: "b");
        var other = SampleRuns.Run("new", id: "n", groupHash: "g2");

        var table = Comparison.Summarize([baseline, other], baseline, SampleRuns.Metrics);

        Assert.Equal(["n"], table.Runs.Select(r => r.Id));
    }

    [Fact]
    public void Without_a_baseline_every_delta_is_absent_and_neutral()
    {
        var table = Comparison.Summarize([SampleRuns.Run("a", id: "a")], null, SampleRuns.Metrics);
        Assert.All(table.Metrics.SelectMany(m => m.Runs), d =>
        {
            Assert.Null(d.Absolute);
            Assert.Equal(Verdict.Neutral, d.Verdict);
        });
    }
}
