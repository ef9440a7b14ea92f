// The metric catalog: the goals of today's and the coming stages' metrics, patterns, timing
// metrics, and the rules the table must keep (a stage evaluates only metrics with a direction).
using Workbench.Experiments.Catalog;
using Workbench.Experiments.Runs;
using Workbench.Experiments.Specs;
using Workbench.Tracking;

namespace Workbench.Experiments.Tests.Catalog;

public sealed class MetricTableTests
{
    private static readonly MetricCatalog Table = MetricTable.Catalog;

    [Theory]
    [InlineData("train/loss", MetricGoal.Min)]
    [InlineData("best/val/loss", MetricGoal.Min)]
    [InlineData("val/acc", MetricGoal.Max)]
    [InlineData("test/acc", MetricGoal.Max)]
    [InlineData("lr", MetricGoal.Neutral)]
    [InlineData("epoch", MetricGoal.Neutral)]
    [InlineData("grad_norm", MetricGoal.Neutral)]
    [InlineData("step_ms", MetricGoal.Min)]
    [InlineData("tokens_per_s", MetricGoal.Max)]
    [InlineData("peak_mem_mb", MetricGoal.Min)]
    [InlineData("reward", MetricGoal.Max)]
    [InlineData("rewards/chosen", MetricGoal.Max)]
    [InlineData("rewards/rejected", MetricGoal.Min)]
    [InlineData("rewards/margins", MetricGoal.Max)]
    [InlineData("rewards/accuracies", MetricGoal.Max)]
    [InlineData("logps/chosen", MetricGoal.Neutral)]
    [InlineData("objective/kl", MetricGoal.Min)]
    [InlineData("objective/entropy", MetricGoal.Neutral)]
    [InlineData("objective/rlhf_reward", MetricGoal.Max)]
    [InlineData("kl", MetricGoal.Min)]
    [InlineData("clip_ratio", MetricGoal.Neutral)]
    [InlineData("val/exact_match", MetricGoal.Max)]
    [InlineData("val/exact_match/gsm8k", MetricGoal.Max)]
    [InlineData("best/val/pass@8", MetricGoal.Max)]
    [InlineData("fit/weight_rel_error", MetricGoal.Min)]
    public void Each_metric_has_its_goal_from_the_table_not_from_its_name(string key, MetricGoal goal)
    {
        Assert.Equal(goal, Table.GoalOf(key));
    }

    [Fact]
    public void A_placeholder_matches_one_path_segment_and_nothing_else_matches_a_pattern()
    {
        Assert.Equal("val/exact_match/<task>", Table.Find("val/exact_match/gsm8k")!.Name);
        Assert.Equal("val/exact_match", Table.Find("val/exact_match")!.Name);
        Assert.Null(Table.Find("val/exact_match/gsm8k/extra"));
        Assert.Null(Table.Find("val/pass@"));
    }

    [Fact]
    public void A_name_the_table_does_not_hold_is_unknown_and_neutral_only_for_display()
    {
        Assert.Null(Table.Find("val/accurcy"));
        Assert.Null(Table.Find("best/val/loss"));
        Assert.Equal(MetricGoal.Neutral, Table.GoalOf("my/own_metric"));
        Assert.False(Table.IsTiming("my/own_metric"));
    }

    [Fact]
    public void Only_figures_of_the_machine_are_timing_metrics_which_rerun_verify_leaves_out()
    {
        var timing = Table.Definitions.Where(d => d.Timing).Select(d => d.Name).Order(StringComparer.Ordinal);

        Assert.Equal(["allreduce_ms", "mfu", "peak_mem_mb", "rollout_tokens_per_s", "samples_per_s", "step_ms", "step_time", "tokens_per_s", "update_ms"], timing);
    }

    [Fact]
    public void Every_metric_a_stage_evaluates_has_a_direction_so_it_can_pick_the_best_checkpoint()
    {
        var neutral = Table.Definitions.Where(d => d.Stages.Count > 0 && d.Goal == MetricGoal.Neutral).Select(d => d.Name);

        Assert.Empty(neutral);
    }

    [Fact]
    public void Every_stage_a_row_names_is_a_stage_of_the_spec()
    {
        var stages = SpecCatalog.BuiltStages.Concat(SpecCatalog.PlannedStages).Append(MetricTable.SupervisedClassification).Append(MetricTable.PretrainOnChat).ToHashSet();

        Assert.All(Table.Definitions.SelectMany(d => d.Stages), stage => Assert.Contains(stage, stages));
    }

    [Theory]
    [InlineData("supervised", "mnist", "val/acc", new[] { "val/loss", "val/acc" })]
    [InlineData("supervised", "linreg", "val/loss", new[] { "val/loss" })]
    [InlineData("pretrain", "sotu", "val/loss", new[] { "val/loss", "train/eval_loss" })]
    public void A_built_stage_evaluates_its_default_metric(string stage, string dataset, string fallback, string[] evaluated)
    {
        Assert.Equal(evaluated, SpecCatalog.EvalMetrics(stage, dataset).Select(d => d.Name));
        Assert.Equal(fallback, SpecCatalog.DefaultMetric(stage, dataset));
    }

    [Fact]
    public void The_run_summary_keeps_best_values_by_the_tables_goals()
    {
        // Given a reward that rises then falls, a KL that falls then rises, and a key no row holds
        var summary = new RunSummary();
        foreach (var (reward, kl) in new[] { (1.0, 0.5), (3.0, 0.1), (2.0, 0.4) })
        {
            summary.Observe("reward", reward);
            summary.Observe("kl", kl);
            summary.Observe("my/own_metric", reward);
        }

        // Then best/ holds the highest reward and the lowest KL, and nothing for the unknown key
        Assert.Equal(3.0, summary.Best("reward"));
        Assert.Equal(0.1, summary.Best("kl"));
        Assert.Null(summary.Best("my/own_metric"));
    }
}
