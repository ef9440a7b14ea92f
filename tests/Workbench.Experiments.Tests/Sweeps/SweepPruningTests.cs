// ASHA and median pruning on hand-built trials: which steps are rungs, who goes on at a rung, and when
// a trial is worse than the median of the others at its step.
using Workbench.Experiments.Sweeps;
using Workbench.Tracking;

namespace Workbench.Experiments.Tests.Sweeps;

public sealed class SweepPruningTests
{
    private static readonly EarlyTerminate Asha = new(PruningRule.Asha, 10, 3);
    private static readonly EarlyTerminate Median = new(PruningRule.Median, 20, 3);

    private static List<TrialObservation> At(long step, params double[] values) =>
        [.. values.Select((v, i) => new TrialObservation(i, new Dictionary<string, object>(), TrialState.Running, null, new Dictionary<long, double> { [step] = v }))];

    [Fact]
    public void Asha_rungs_are_min_steps_times_powers_of_the_reduction_factor()
    {
        Assert.Equal([10L, 30L, 90L], SweepPruning.RungSteps(Asha, 100));
        Assert.Equal([10L, 30L, 90L, 270L], SweepPruning.RungSteps(Asha, 270));
        Assert.Empty(SweepPruning.RungSteps(Median, 100));
        // Off a rung nothing is compared, however bad the value
        Assert.False(SweepPruning.ShouldPrune(Asha, At(20, 0.1, 0.2), 9, 20, 50.0, MetricGoal.Min));
    }

    [Theory]
    // Five others at the rung and this trial: six values, so it goes on if it is among the best 6 / 3 = 2
    [InlineData(0.55, false)]
    [InlineData(0.6, false)]
    [InlineData(0.65, true)]
    [InlineData(double.NaN, true)]
    public void At_a_rung_asha_keeps_the_top_third_of_the_values_recorded_there(double value, bool pruned) =>
        Assert.Equal(pruned, SweepPruning.ShouldPrune(Asha, At(30, 0.5, 0.6, 0.7, 0.8, 0.9), 9, 30, value, MetricGoal.Min));

    [Fact]
    public void Asha_ranks_by_the_metric_goal_and_lets_an_early_trial_go_on_only_as_the_best_so_far()
    {
        // For accuracy (max) the top third are the highest
        Assert.False(SweepPruning.ShouldPrune(Asha, At(10, 0.5, 0.6, 0.7, 0.8, 0.9), 9, 10, 0.85, MetricGoal.Max));
        Assert.True(SweepPruning.ShouldPrune(Asha, At(10, 0.5, 0.6, 0.7, 0.8, 0.9), 9, 10, 0.75, MetricGoal.Max));
        // The first trial at a rung goes on; the second only if it beats the first
        Assert.False(SweepPruning.ShouldPrune(Asha, [], 0, 10, 3.0, MetricGoal.Min));
        Assert.True(SweepPruning.ShouldPrune(Asha, At(10, 1.0), 5, 10, 3.0, MetricGoal.Min));
        Assert.False(SweepPruning.ShouldPrune(Asha, At(10, 1.0), 5, 10, 0.5, MetricGoal.Min));
        // The trial's own stored value is not a competitor
        Assert.False(SweepPruning.ShouldPrune(Asha, At(10, 1.0), 0, 10, 3.0, MetricGoal.Min));
    }

    [Theory]
    [InlineData(10, 9.0, false)]  // before min_steps nothing is compared
    [InlineData(20, 2.5, true)]   // median of 1, 2, 3 is 2
    [InlineData(20, 2.0, false)]  // equal to the median goes on
    [InlineData(20, 1.5, false)]
    public void Median_prunes_a_trial_worse_than_the_median_of_the_others_at_its_step(long step, double value, bool pruned) =>
        Assert.Equal(pruned, SweepPruning.ShouldPrune(Median, At(step, 1, 2, 3), 9, step, value, MetricGoal.Min));

    [Fact]
    public void Median_follows_the_goal_and_goes_on_when_no_other_trial_reached_the_step()
    {
        // Median of 1, 2, 3, 4 is 2.5; for a maximised metric lower is worse
        Assert.True(SweepPruning.ShouldPrune(Median, At(20, 1, 2, 3, 4), 9, 20, 2.0, MetricGoal.Max));
        Assert.False(SweepPruning.ShouldPrune(Median, At(20, 1, 2, 3, 4), 9, 20, 3.0, MetricGoal.Max));
        Assert.False(SweepPruning.ShouldPrune(Median, At(40, 1, 2, 3), 9, 20, 100.0, MetricGoal.Min));
    }
}
