// The DPO loss against PyTorch (TRL's DPOTrainer formulas) for each loss type, with its logged rewards and
// log-probabilities; the reference's terms as constants; and the settings it refuses.
using Workbench.Models.PostTraining;
using Workbench.Torch;

namespace Workbench.Models.Tests.PostTraining;

public sealed class DpoLossTests
{
    [Theory]
    [InlineData("sigmoid", DpoLossType.Sigmoid, 0.1, 0)]
    [InlineData("smoothed", DpoLossType.Sigmoid, 0.5, 0.1)]
    [InlineData("ipo", DpoLossType.Ipo, 0.1, 0)]
    [InlineData("hinge", DpoLossType.Hinge, 0.1, 0)]
    public void Loss_gradients_rewards_and_log_probabilities_match_torch(string name, DpoLossType type, double beta, double labelSmoothing) =>
        PostTrainingFixture.Run(f =>
        {
            // Given the policy's and the reference's log-probabilities of five pairs
            var (chosen, rejected) = (f.Leaf("dpo.policy_chosen"), f.Leaf("dpo.policy_rejected"));

            // When the loss is computed and backpropagated
            var dpo = DpoLoss.Compute(new DpoSettings(beta, type, labelSmoothing), chosen, rejected, f["dpo.reference_chosen"], f["dpo.reference_rejected"]);
            dpo.Loss.Backward();

            // Then loss, gradients and every logged figure are torch's
            f.Expect($"dpo.{name}.loss", dpo.Loss);
            f.Expect($"dpo.{name}.grad.policy_chosen", chosen.Grad()!);
            f.Expect($"dpo.{name}.grad.policy_rejected", rejected.Grad()!);
            foreach (var (key, value) in dpo.Metrics) f.Expect($"dpo.{name}.{key.Replace('/', '_')}", value);
        });

    [Fact]
    public void It_logs_the_keys_trl_logs() =>
        PostTrainingFixture.Run(f =>
        {
            var dpo = DpoLoss.Compute(new DpoSettings(), f["dpo.policy_chosen"], f["dpo.policy_rejected"], f["dpo.reference_chosen"], f["dpo.reference_rejected"]);
            Assert.Equal(["rewards/chosen", "rewards/rejected", "rewards/margins", "rewards/accuracies", "logps/chosen", "logps/rejected"],
                dpo.Read().Select(m => m.Key));
        });

    [Fact]
    public void The_reference_log_probabilities_get_no_gradient_even_when_they_carry_one() =>
        PostTrainingFixture.Run(f =>
        {
            var (refChosen, refRejected) = (f.Leaf("dpo.reference_chosen"), f.Leaf("dpo.reference_rejected"));
            DpoLoss.Compute(new DpoSettings(), f.Leaf("dpo.policy_chosen"), f.Leaf("dpo.policy_rejected"), refChosen, refRejected).Loss.Backward();
            Assert.Null(refChosen.Grad());
            Assert.Null(refRejected.Grad());
        });

    [Fact]
    public void Ipo_reads_log_probabilities_averaged_per_token_and_the_others_summed() =>
        PostTrainingFixture.Run(f =>
        {
            var (logits, targets, mask) = (f["sft.logits"], f["sft.targets"], f["sft.mask"]);
            f.Expect("logps.mean", new DpoSettings(lossType: DpoLossType.Ipo).SequenceLogProbs(logits, targets, mask));
            f.Expect("logps.sum", new DpoSettings(lossType: DpoLossType.Hinge).SequenceLogProbs(logits, targets, mask));
        });

    [Fact]
    public void Settings_without_a_positive_beta_or_with_label_smoothing_outside_sigmoid_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DpoSettings(beta: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DpoSettings(labelSmoothing: 0.5));
        var e = Assert.Throws<ArgumentException>(() => new DpoSettings(lossType: DpoLossType.Ipo, labelSmoothing: 0.1));
        Assert.Contains("sigmoid loss only, not ipo", e.Message);
    }
}
