// GRPO against PyTorch (TRL's GRPOTrainer formulas): the group advantage under each scale_rewards, and the
// clipped loss under each loss_type with its gradient, KL, clip ratio and entropy; and what it refuses.
using Workbench.Models.PostTraining;
using Workbench.Torch;

namespace Workbench.Models.Tests.PostTraining;

public sealed class GrpoLossTests
{
    private const string File = "grpo.safetensors";
    private const int G = 3;

    [Theory]
    [InlineData("group", RewardScaling.Group)]
    [InlineData("batch", RewardScaling.Batch)]
    [InlineData("none", RewardScaling.None)]
    public void The_group_advantage_and_its_reward_figures_match_torch(string name, RewardScaling scaling) =>
        PostTrainingFixture.Run(f =>
        {
            // Given twelve rewards in groups of three, one group without spread
            var advantage = GroupAdvantage.Compute(f["rewards"], G, scaling);

            // Then the advantages, the spreads and the logged figures are torch's
            f.Expect($"adv.{name}.advantages", advantage.Advantages);
            f.Expect($"adv.{name}.std", advantage.Std);
            foreach (var (key, value) in advantage.Metrics) f.Expect($"adv.{name}.{key}", value);
        }, File);

    [Fact]
    public void A_group_whose_rewards_are_all_equal_has_zero_advantages_and_is_counted() =>
        PostTrainingFixture.Run(f =>
        {
            var advantage = GroupAdvantage.Compute(f["rewards"], G, RewardScaling.Group);

            Assert.Equal([0f, 0f, 0f], advantage.Advantages.Narrow(0, 6, 3).ToArray<float>());
            Assert.Equal(0.25, advantage.FracRewardZeroStd.Item(), 6);
            // And within each group the advantages sum to zero: the group mean is the baseline
            var sums = advantage.Advantages.View(-1, G).Sum(1).ToArray<float>();
            Assert.All(sums, s => Assert.Equal(0, s, 4));
        }, File);

    [Theory]
    [InlineData("grpo", GrpoLossType.Grpo, "group", 0.04, 0.2, 0.28, true)]
    [InlineData("dr_grpo", GrpoLossType.DrGrpo, "none", 0.04, 0.2, 0.2, true)]
    [InlineData("dapo", GrpoLossType.Dapo, "group", 0.04, 0.2, 0.28, true)]
    [InlineData("grpo_batch", GrpoLossType.Grpo, "batch", 0.0, 0.2, 0.2, true)]
    [InlineData("dapo_none", GrpoLossType.Dapo, "none", 0.1, 0.1, 0.3, true)]
    [InlineData("grpo_on_policy", GrpoLossType.Grpo, "group", 0.04, 0.2, 0.2, false)]
    public void Loss_gradient_kl_clip_ratio_and_entropy_match_torch(string name, GrpoLossType type, string scale, double beta,
        double epsilon, double epsilonHigh, bool withOld) =>
        PostTrainingFixture.Run(f =>
        {
            // Given the per-token log-probabilities of twelve completions (values off the mask wrong on purpose)
            var scaling = Enum.Parse<RewardScaling>(scale, ignoreCase: true);
            var advantages = GroupAdvantage.Compute(f["rewards"], G, scaling).Advantages;
            var logProbs = f.Leaf("logps");
            var settings = new GrpoSettings(epsilon, epsilonHigh, beta, type, maxCompletionLength: 8);

            // When the loss is computed and backpropagated
            var grpo = GrpoLoss.Compute(settings, logProbs, withOld ? f["old_logps"] : null, f["ref_logps"], advantages, f["mask"], f["entropy"]);
            grpo.Loss.Backward();

            // Then the loss, its gradient and the logged figures are torch's; kl only when beta weighs it
            f.Expect($"loss.{name}.loss", grpo.Loss);
            f.Expect($"loss.{name}.grad.logps", logProbs.Grad()!);
            foreach (var (key, value) in grpo.Metrics) f.Expect($"loss.{name}.{key}", value);
            Assert.Equal(beta > 0 ? ["clip_ratio", "entropy", "kl"] : ["clip_ratio", "entropy"], grpo.Read().Select(m => m.Key));
        }, File);

    [Fact]
    public void With_one_update_per_rollout_nothing_is_clipped_and_the_loss_is_minus_the_mean_advantage() =>
        PostTrainingFixture.Run(f =>
        {
            var advantages = GroupAdvantage.Compute(f["rewards"], G, RewardScaling.Group).Advantages;
            var grpo = GrpoLoss.Compute(new GrpoSettings(lossType: GrpoLossType.Grpo), f.Leaf("logps"), null, null, advantages, f["mask"], f["entropy"]);

            Assert.Equal(0, grpo.ClipRatio.Item());
            Assert.Equal(-advantages.Mean().Item(), grpo.Loss.Item(), 5);
        }, File);

    [Fact]
    public void Dapo_divides_by_the_whole_batchs_tokens_when_given_them() =>
        PostTrainingFixture.Run(f =>
        {
            var advantages = GroupAdvantage.Compute(f["rewards"], G, RewardScaling.Group).Advantages;
            var settings = new GrpoSettings(lossType: GrpoLossType.Dapo);
            var own = GrpoLoss.Compute(settings, f["logps"], f["old_logps"], null, advantages, f["mask"], f["entropy"]).Loss.Item();
            var tokens = f["mask"].To(ScalarType.Float32).Sum().Item();
            var half = GrpoLoss.Compute(settings, f["logps"], f["old_logps"], null, advantages, f["mask"], f["entropy"], batchTokens: 2 * tokens).Loss.Item();

            Assert.Equal(own / 2, half, 6);
        }, File);

    [Fact]
    public void A_kl_weight_without_reference_log_probabilities_and_bad_settings_are_refused() =>
        PostTrainingFixture.Run(f =>
        {
            var advantages = GroupAdvantage.Compute(f["rewards"], G, RewardScaling.Group).Advantages;
            var e = Assert.Throws<ArgumentException>(() =>
                GrpoLoss.Compute(new GrpoSettings(beta: 0.1), f["logps"], null, null, advantages, f["mask"], f["entropy"]));
            Assert.Contains("beta 0.1 weighs a KL to the reference", e.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => new GrpoSettings(epsilon: 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => new GrpoSettings(beta: -1));
            Assert.Throws<ArgumentOutOfRangeException>(() => GroupAdvantage.Compute(f["rewards"], 1, RewardScaling.Group));
            var shape = Assert.Throws<ArgumentException>(() => GroupAdvantage.Compute(f["rewards"], 5, RewardScaling.Group));
            Assert.Contains("N a multiple of 5", shape.Message);
        }, File);
}
