// PPO's rollout math against PyTorch (tests/fixtures/make_ppo_fixture.py, from TRL's PPOTrainer): the KL estimators,
// the rewards with the score on the last token and the missing end-of-turn penalty, GAE over masked completions,
// TRL's masked whitening, and the objective/* figures; plus GAE on values small enough to check by hand.
using Workbench.Models.PostTraining;
using Workbench.Torch;

namespace Workbench.Models.Tests.PostTraining;

public sealed class PpoAdvantagesTests
{
    private const string File = "ppo.safetensors";

    [Theory]
    [InlineData("k1", 0.05, KlEstimator.K1, 1.0, 0.95, false, null)]
    [InlineData("k3", 0.2, KlEstimator.K3, 0.9, 0.8, true, 1.0)]
    public void Rewards_advantages_returns_and_objectives_match_torch(string name, double klCoef, KlEstimator estimator, double gamma,
        double lambda, bool whitenRewards, double? missingEosPenalty) =>
        PostTrainingFixture.Run(f =>
        {
            // Given three completions (one cut off before end of turn) with their log-probabilities, values and scores
            var settings = new PpoSettings(klCoef, estimator, gamma, lambda, whitenRewards, missingEosPenalty);

            // When they become advantages
            var ppo = PpoAdvantages.Compute(settings, f["logprobs"], f["ref_logprobs"], f["values"], f["scores"], f["mask"], f["ended"]);

            // Then every tensor and figure is torch's
            f.Expect($"rollout.{name}.kl", ppo.Kl);
            f.Expect($"rollout.{name}.non_score_reward", ppo.NonScoreReward);
            f.Expect($"rollout.{name}.scores", ppo.Scores);
            f.Expect($"rollout.{name}.rewards", ppo.Rewards);
            f.Expect($"rollout.{name}.advantages", ppo.Advantages);
            f.Expect($"rollout.{name}.returns", ppo.Returns);
            foreach (var (key, value) in ppo.Metrics) f.Expect($"rollout.{name}.{key.Replace('/', '_')}", value);
        }, File);

    [Fact]
    public void It_logs_the_objective_keys_trl_logs() =>
        PostTrainingFixture.Run(f =>
        {
            var ppo = PpoAdvantages.Compute(new PpoSettings(), f["logprobs"], f["ref_logprobs"], f["values"], f["scores"], f["mask"], f["ended"]);
            Assert.Equal(["objective/kl", "objective/entropy", "objective/non_score_reward", "objective/rlhf_reward", "objective/scores"],
                LossMetrics.Read(ppo.Metrics).Select(m => m.Key));
        }, File);

    [Fact]
    public void Masked_whitening_with_and_without_the_mean_matches_torch() =>
        PostTrainingFixture.Run(f =>
        {
            f.Expect("whiten.shifted", MaskedWhiten.Whiten(f["whiten.x"], f["mask"]));
            f.Expect("whiten.unshifted", MaskedWhiten.Whiten(f["whiten.x"], f["mask"], shiftMean: false));
        }, File);

    [Fact]
    public void Gae_with_gamma_and_lambda_1_and_zero_values_is_the_reward_to_go_and_stops_at_the_mask()
    {
        using var scope = TensorScope.Begin();
        // Given two completions of 3 and 1 tokens in rows of 4, rewards after the end that must not count
        var rewards = Tensor.From([1f, 2f, 3f, 100f, 5f, 100f, 100f, 100f], 2, 4);
        var mask = Tensor.From([true, true, true, false, true, false, false, false], 2, 4);
        var values = Tensor.Zeros([2, 4]);

        // When GAE runs with gamma = lambda = 1
        var (advantages, returns) = Gae.Compute(rewards, values, mask, gamma: 1, lambda: 1);

        // Then each advantage is the sum of the rewards still to come in its completion, and 0 after it
        Assert.Equal([6f, 5f, 3f, 0f, 5f, 0f, 0f, 0f], advantages.ToArray<float>());
        Assert.Equal(advantages.ToArray<float>(), returns.ToArray<float>());
    }

    [Fact]
    public void Gae_with_lambda_0_is_the_one_step_td_error()
    {
        using var scope = TensorScope.Begin();
        var rewards = Tensor.From([0f, 0f, 1f], 1, 3);
        var values = Tensor.From([0.5f, 0.25f, 2f], 1, 3);
        var mask = Tensor.From([true, true, true], 1, 3);

        var (advantages, _) = Gae.Compute(rewards, values, mask, gamma: 0.5, lambda: 0);

        // delta_t = r_t + gamma V_{t+1} - V_t, and V after the last token is 0
        Close.Values([0 + 0.5 * 0.25 - 0.5, 0 + 0.5 * 2 - 0.25, 1 - 2.0], advantages.To(ScalarType.Float64).ToArray<double>(), "advantages");
    }

    [Fact]
    public void Settings_outside_their_ranges_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PpoSettings(klCoef: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PpoSettings(gamma: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PpoSettings(lambda: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PpoSettings(clipRange: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PpoSettings(missingEosPenalty: -1));
    }
}
