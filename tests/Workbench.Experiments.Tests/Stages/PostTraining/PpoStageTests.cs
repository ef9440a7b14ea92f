// Stage ppo on the task suite: the policy starts as the sft run and the sft run is its frozen reference, so
// the first rollout is at KL 0 and the first update at ratio 1; rewarded by the task checkers or by a reward
// run; a KL limit stops the run as diverged naming the step; a reward_model that is no reward run is refused.
using Workbench.Experiments.Runs;
using Workbench.Tracking;

namespace Workbench.Experiments.Tests.Stages.PostTraining;

[Collection(TaskChainCollection.Name)]
public sealed class PpoStageTests(TaskChain chain)
{
    private static readonly string[] TrlKeys =
    [
        "objective/kl", "objective/entropy", "objective/scores", "objective/rlhf_reward", "objective/non_score_reward",
        "policy/approxkl_avg", "policy/clipfrac_avg", "policy/entropy_avg", "loss/policy_avg", "loss/value_avg", "val/ratio",
        "val/clipfrac_avg", "val/num_eos_tokens",
    ];

    private RunOutcome Ppo(params string[] overrides) =>
        chain.Start(chain.FromSft("ppo", ["train.max_steps=6", "train.eval.every=6", "train.optimizer.lr=1e-4", "train.ppo.response_length=8", .. overrides]));

    [Fact]
    public void Ppo_with_the_task_checkers_starts_at_kl_0_and_logs_trls_figures_and_its_timings()
    {
        // When PPO runs from the sft run (which knows the eight problems by heart), rewarded by the checkers
        var outcome = Ppo("train.ppo.num_ppo_epochs=2");

        // Then the first rollout is the reference's own: no KL, nothing to pay for it
        Assert.Equal(RunStatus.Finished, outcome.Status);
        Assert.Equal(0.0, chain.Metric(outcome.RunId, "objective/kl").Values[0]);
        Assert.Equal(0.0, chain.Metric(outcome.RunId, "objective/non_score_reward").Values[0]);
        // And the sft model already answers most of its training prompts right (scores are 1 or 0)
        var scores = chain.Metric(outcome.RunId, "objective/scores").Values;
        Assert.All(scores, s => Assert.InRange(s, 0.0, 1.0));
        Assert.True(scores[0] >= 0.5, $"objective/scores started at {scores[0]}");
        // And every TRL figure is logged, finite, and the held-out prompts are answered at step 0 and at the end
        foreach (var key in TrlKeys)
            Assert.All(chain.Metric(outcome.RunId, key).Values, v => Assert.True(double.IsFinite(v), key));
        Assert.Equal([0L, 6L], chain.Metric(outcome.RunId, "val/exact_match").Steps);
        // And the rollout and the update are timed apart in the summary
        var summary = chain.Run(outcome.RunId).Summary;
        Assert.True(summary["rollout_tokens_per_s"] > 0);
        Assert.True(summary["update_ms"] > 0);
    }

    [Fact]
    public void Ppo_with_a_reward_run_scores_by_it_and_its_value_model_starts_from_it()
    {
        // Given a reward model trained from the sft run
        var reward = chain.Start(chain.FromSft("reward", "train.max_steps=10", "train.eval.every=10"));
        Assert.Equal(RunStatus.Finished, reward.Status);

        // When PPO takes it as its reward model, by run reference
        var outcome = Ppo($"train.ppo.reward_model={reward.RunId}", "train.ppo.kl_estimator=k3", "train.ppo.missing_eos_penalty=1.0");

        // Then the scores are the reward model's (not 0/1), the run stores the reward run's id, and it trains both models
        Assert.Equal(RunStatus.Finished, outcome.Status);
        Assert.Contains(chain.Metric(outcome.RunId, "objective/scores").Values, s => s != 0 && s != 1);
        Assert.Contains($"\"reward_model\":\"{reward.RunId}\"", chain.Run(outcome.RunId).ConfigJson);
        Assert.True(File.Exists(Path.Combine(chain.Run(outcome.RunId).RunDir, "checkpoints", "final", "value.safetensors")),
            "the final checkpoint holds the value model");
    }

    [Fact]
    public void A_kl_past_max_kl_stops_the_run_as_diverged_naming_the_step()
    {
        // When the policy moves fast (a high learning rate) and the KL limit is tiny
        var outcome = Ppo("train.optimizer.lr=3e-2", "train.ppo.max_kl=1e-6", "train.ppo.num_ppo_epochs=4");

        // Then the run stops as diverged, naming the limit and the step, with the KL that passed it logged
        Assert.Equal(RunStatus.Diverged, outcome.Status);
        Assert.Matches(@"objective/kl [0-9.]+ passed train\.ppo\.max_kl 1E-06 at step [2-6]; the last good checkpoint is kept", outcome.Error);
        Assert.True(chain.Metric(outcome.RunId, "objective/kl").Values[^1] > 1e-6);
    }

    [Fact]
    public void A_reward_model_that_is_not_a_reward_run_is_refused_naming_the_key()
    {
        var runs = chain.RunCount();
        var error = Assert.Throws<RunSetupException>(() => Ppo($"train.ppo.reward_model={chain.Sft.RunId}"));
        Assert.Equal($"train.ppo.reward_model: run {chain.Sft.RunId} is a sft run, not a reward model (stage reward)", error.Message);
        Assert.Equal(runs, chain.RunCount());
    }
}
