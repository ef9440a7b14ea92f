// Stage reward on the task suite: a scalar head on the sft run's trunk, trained on the preference pairs
// of the eight problems it knows, learns to rank every pair's right answer above the wrong one.
using Workbench.Experiments.Runs;
using Workbench.Tracking;

namespace Workbench.Experiments.Tests.Stages.PostTraining;

[Collection(TaskChainCollection.Name)]
public sealed class RewardStageTests(TaskChain chain)
{
    [Fact]
    public void A_reward_model_trained_on_a_handful_of_pairs_ranks_every_one_of_them_right()
    {
        // When a reward model is trained from the sft run on the eight problems' pairs
        var outcome = chain.Start(chain.FromSft("reward", "train.max_steps=60", "train.eval.every=60", "train.optimizer.lr=1e-3"));

        // Then its Bradley-Terry loss falls to a fifth of where it started, every pair is ranked right at the
        // end, and the margin between chosen and rejected rewards grows
        Assert.Equal(RunStatus.Finished, outcome.Status);
        var loss = chain.Metric(outcome.RunId, "train/loss");
        Assert.True(loss.Values[^1] < loss.Values[0] / 5, $"train/loss went from {loss.Values[0]} to {loss.Values[^1]}");
        Assert.Equal(1.0, chain.Metric(outcome.RunId, "accuracy").Values[^1]);
        var margin = chain.Metric(outcome.RunId, "margin");
        Assert.True(margin.Values[^1] > margin.Values[0] + 1, $"margin went from {margin.Values[0]} to {margin.Values[^1]}");
        // And the held-out pairs are scored at each evaluation
        foreach (var key in new[] { "val/loss", "val/accuracy", "val/margin", "val/min_reward", "val/max_reward" })
            Assert.True(double.IsFinite(chain.Metric(outcome.RunId, key).Values[^1]), key);
    }

    [Fact]
    public void A_margin_and_centring_still_train_the_ranking()
    {
        var outcome = chain.Start(chain.FromSft("reward", "train.max_steps=60", "train.eval.every=60", "train.optimizer.lr=1e-3",
            "train.reward.margin=1", "train.reward.center_coefficient=0.01"));

        Assert.Equal(RunStatus.Finished, outcome.Status);
        var loss = chain.Metric(outcome.RunId, "train/loss");
        Assert.True(loss.Values[^1] < loss.Values[0] / 2, $"train/loss went from {loss.Values[0]} to {loss.Values[^1]}");
        Assert.Equal(1.0, chain.Metric(outcome.RunId, "accuracy").Values[^1]);
    }
}
