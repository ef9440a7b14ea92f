// Stage dpo on the task suite: the policy starts as the sft run and the sft run is its frozen reference,
// so the first step sits at the loss of a zero margin; on a handful of pairs the implicit reward margin
// then grows until every pair is ranked right, under each loss type.
using Workbench.Experiments.Runs;
using Workbench.Tracking;

namespace Workbench.Experiments.Tests.Stages.PostTraining;

[Collection(TaskChainCollection.Name)]
public sealed class DpoStageTests(TaskChain chain)
{
    private RunOutcome Dpo(params string[] overrides) =>
        chain.Start(chain.FromSft("dpo", ["train.max_steps=40", "train.eval.every=40", "train.optimizer.lr=1e-3", .. overrides]));

    [Fact]
    public void Dpo_on_a_handful_of_pairs_widens_the_reward_margin_until_every_pair_is_ranked_right()
    {
        // When DPO (the sigmoid loss) runs from the sft run on the eight problems' pairs
        var outcome = Dpo("train.dpo.loss_type=sigmoid");

        // Then the first step is at -log sigmoid(0) (the policy is the reference), and the loss falls from there
        Assert.Equal(RunStatus.Finished, outcome.Status);
        var loss = chain.Metric(outcome.RunId, "train/loss");
        Assert.Equal(Math.Log(2), loss.Values[0], 5);
        Assert.True(loss.Values[^1] < loss.Values[0] / 2, $"train/loss went from {loss.Values[0]} to {loss.Values[^1]}");
        // And the margins and accuracies rise from zero: every pair is ranked right at the end
        var margins = chain.Metric(outcome.RunId, "rewards/margins");
        var accuracies = chain.Metric(outcome.RunId, "rewards/accuracies");
        Assert.Equal((0.0, 0.0), (margins.Values[0], accuracies.Values[0]));
        Assert.True(margins.Values[^1] > 0.5, $"rewards/margins ended at {margins.Values[^1]}");
        Assert.Equal(1.0, accuracies.Values[^1]);
        // And an evaluation scores the held-out pairs and answers the held-out prompts
        foreach (var key in new[] { "val/loss", "val/rewards/margins", "val/rewards/accuracies", "val/exact_match", "val/exact_match/compare" })
            Assert.True(double.IsFinite(chain.Metric(outcome.RunId, key).Values[^1]), key);
    }

    [Theory]
    [InlineData("ipo", 25.0)]      // (0 - 1/(2 beta))^2 at beta 0.1
    [InlineData("hinge", 1.0)]     // max(0, 1 - beta * 0)
    public void The_other_loss_types_start_at_their_zero_margin_value_and_fall(string lossType, double atZeroMargin)
    {
        var outcome = Dpo($"train.dpo.loss_type={lossType}");

        Assert.Equal(RunStatus.Finished, outcome.Status);
        var loss = chain.Metric(outcome.RunId, "train/loss");
        Assert.Equal(atZeroMargin, loss.Values[0], 5);
        Assert.True(loss.Values[^1] < loss.Values[0] / 2, $"train/loss went from {loss.Values[0]} to {loss.Values[^1]}");
    }

    [Fact]
    public void Precomputing_the_references_log_probabilities_gives_the_losses_of_computing_them_per_batch()
    {
        // When the same DPO run goes once with the reference's log-probabilities computed per batch, once precomputed
        var perBatch = Dpo("train.max_steps=5", "train.eval.every=5");
        var precomputed = Dpo("train.max_steps=5", "train.eval.every=5", "train.dpo.precompute_ref_log_probs=true");

        // Then the losses agree step by step (the batches are padded differently: float32 rounding apart)
        Assert.Equal((RunStatus.Finished, RunStatus.Finished), (perBatch.Status, precomputed.Status));
        var expected = chain.Metric(perBatch.RunId, "train/loss");
        var actual = chain.Metric(precomputed.RunId, "train/loss");
        Assert.Equal(expected.Steps, actual.Steps);
        Close.Values(expected.Values, actual.Values, "train/loss");
    }
}
