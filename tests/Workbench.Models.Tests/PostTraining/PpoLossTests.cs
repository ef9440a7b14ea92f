// PPO's clipped policy and value losses against PyTorch (tests/fixtures/make_ppo_fixture.py, from TRL's
// PPOTrainer), with their gradients, the statistics TRL logs per update, and the per-token entropy.
using Workbench.Models.PostTraining;

namespace Workbench.Models.Tests.PostTraining;

public sealed class PpoLossTests
{
    private const string File = "ppo.safetensors";

    [Theory]
    [InlineData("default", 0.2, 0.2, 0.1)]
    [InlineData("tight", 0.05, 0.05, 0.5)]
    public void Loss_gradients_and_update_statistics_match_torch(string name, double clipRange, double clipRangeValue, double vfCoef) =>
        PostTrainingFixture.Run(f =>
        {
            // Given a minibatch whose new log-probabilities and values have moved from the rollout's
            var (logProbs, values) = (f.Leaf("loss.new_logprobs"), f.Leaf("loss.new_values"));
            var settings = new PpoSettings(clipRange: clipRange, clipRangeValue: clipRangeValue, vfCoef: vfCoef);

            // When the loss is computed and backpropagated
            var ppo = PpoLoss.Compute(settings, logProbs, f["logprobs"], f["loss.advantages"], values, f["values"], f["loss.returns"],
                f["mask"], f["loss.entropy"]);
            ppo.Loss.Backward();

            // Then the loss, its parts, the gradients and the statistics are torch's
            f.Expect($"loss.{name}.loss", ppo.Loss);
            f.Expect($"loss.{name}.policy", ppo.PolicyLoss);
            f.Expect($"loss.{name}.value", ppo.ValueLoss);
            f.Expect($"loss.{name}.grad.new_logprobs", logProbs.Grad()!);
            f.Expect($"loss.{name}.grad.new_values", values.Grad()!);
            f.Expect($"loss.{name}.approxkl", ppo.ApproxKl);
            f.Expect($"loss.{name}.clipfrac", ppo.ClipFrac);
            f.Expect($"loss.{name}.value_clipfrac", ppo.ValueClipFrac);
            f.Expect($"loss.{name}.ratio", ppo.Ratio);
            f.Expect($"loss.{name}.entropy", ppo.Entropy);
        }, File);

    [Fact]
    public void It_logs_trls_names_for_the_update_statistics() =>
        PostTrainingFixture.Run(f =>
        {
            var ppo = PpoLoss.Compute(new PpoSettings(), f["loss.new_logprobs"], f["logprobs"], f["loss.advantages"], f["loss.new_values"],
                f["values"], f["loss.returns"], f["mask"], f["loss.entropy"]);
            Assert.Equal(["loss/policy_avg", "loss/value_avg", "policy/approxkl_avg", "policy/clipfrac_avg", "policy/entropy_avg",
                          "val/clipfrac_avg", "val/ratio"], ppo.Read().Select(m => m.Key));
        }, File);

    [Fact]
    public void The_rollout_side_gets_no_gradient_even_when_it_carries_one() =>
        PostTrainingFixture.Run(f =>
        {
            var (oldLogProbs, oldValues, advantages) = (f.Leaf("logprobs"), f.Leaf("values"), f.Leaf("loss.advantages"));
            PpoLoss.Compute(new PpoSettings(), f.Leaf("loss.new_logprobs"), oldLogProbs, advantages, f.Leaf("loss.new_values"), oldValues,
                f["loss.returns"], f["mask"], f["loss.entropy"]).Loss.Backward();
            Assert.Null(oldLogProbs.Grad());
            Assert.Null(oldValues.Grad());
            Assert.Null(advantages.Grad());
        }, File);

    [Fact]
    public void Token_entropy_matches_torch() =>
        PostTrainingFixture.Run(f => f.Expect("loss.entropy", TokenLogProbs.Entropy(f["loss.logits"])), File);
}
