// The SFT loss against PyTorch: cross entropy on the answer's tokens only, its gradient, the token accuracy and
// count it logs, and a batch without any answer token.
using Workbench.Models.PostTraining;
using Workbench.Torch;

namespace Workbench.Models.Tests.PostTraining;

public sealed class SftLossTests
{
    [Fact]
    public void Loss_gradient_token_accuracy_and_token_count_match_torch() =>
        PostTrainingFixture.Run(f =>
        {
            // Given logits, pre-shifted targets and a mask over the answers (prompt and padding off)
            var logits = f.Leaf("sft.logits");

            // When the loss is computed and backpropagated
            var sft = SftLoss.Compute(logits, f["sft.targets"], f["sft.mask"]);
            sft.Loss.Backward();

            // Then loss, gradient and metrics are torch's, and the metrics carry no gradient
            f.Expect("sft.loss", sft.Loss);
            f.Expect("sft.grad.logits", logits.Grad()!);
            f.Expect("sft.mean_token_accuracy", sft.MeanTokenAccuracy);
            f.Expect("sft.num_tokens", sft.NumTokens);
            Assert.False(sft.MeanTokenAccuracy.RequiresGrad);
        });

    [Fact]
    public void Its_metrics_read_back_under_the_keys_sft_logs() =>
        PostTrainingFixture.Run(f =>
        {
            var metrics = SftLoss.Compute(f["sft.logits"], f["sft.targets"], f["sft.mask"]).Read();
            Assert.Equal(["mean_token_accuracy", "num_tokens"], metrics.Select(m => m.Key));
            Assert.Equal(f["sft.mean_token_accuracy"].Item(), metrics[0].Value, 6);
            Assert.Equal(f["sft.num_tokens"].Item(), metrics[1].Value);
        });

    [Fact]
    public void A_batch_without_answer_tokens_has_loss_zero_rather_than_nan() =>
        PostTrainingFixture.Run(f =>
        {
            var logits = f.Leaf("sft.logits");
            var sft = SftLoss.Compute(logits, f["sft.targets"], Tensor.Zeros([3, 6], ScalarType.Bool));
            sft.Loss.Backward();
            Assert.Equal(0, sft.Loss.Item());
            Assert.Equal(0, sft.NumTokens.Item());
            Assert.Equal(0, logits.Grad()!.Abs().Max().Item());
        });
}
