// Per-token and per-sequence log-probabilities of an answer against PyTorch: summed (DPO's sigmoid and hinge) and
// averaged per token (IPO), their gradients, and what the mask means: its targets only, whatever the others hold.
using Workbench.Models.PostTraining;
using Workbench.Torch;

namespace Workbench.Models.Tests.PostTraining;

public sealed class TokenLogProbsTests
{
    [Theory]
    [InlineData("sum", false)]
    [InlineData("mean", true)]
    public void Sequence_log_probabilities_and_their_gradient_match_torch(string name, bool average) =>
        PostTrainingFixture.Run(f =>
        {
            // Given a batch of logits whose masked-off targets include padding ids of -1
            var logits = f.Leaf("sft.logits");                                                 // (3, 6, 7)

            // When each row's answer is scored and a weighted sum of the scores is backpropagated
            var logps = TokenLogProbs.PerSequence(logits, f["sft.targets"], f["sft.mask"], average);
            (logps * f["logps.weights"]).Sum().Backward();

            // Then the scores and the gradient are torch's
            f.Expect($"logps.{name}", logps);
            f.Expect($"logps.{name}.grad.logits", logits.Grad()!);
        });

    [Fact]
    public void A_zero_one_float_mask_counts_the_same_targets_as_a_bool_mask() =>
        PostTrainingFixture.Run(f =>
        {
            var (logits, targets, mask) = (f["sft.logits"], f["sft.targets"], f["sft.mask"]);
            Close.Assert(TokenLogProbs.PerToken(logits, targets, mask), TokenLogProbs.PerToken(logits, targets, mask.To(ScalarType.Float32)), "per token");
        });

    [Fact]
    public void Positions_under_a_false_mask_score_zero_and_a_row_without_answer_scores_zero() =>
        PostTrainingFixture.Run(f =>
        {
            var mask = f["sft.mask"].Clone();
            mask.Narrow(0, 2, 1).Fill_(0);                                                    // row 2: no answer token
            var perToken = TokenLogProbs.PerToken(f["sft.logits"], f["sft.targets"], mask);
            Assert.All(perToken.MaskedFill(mask, 0).ToArray<float>(), v => Assert.Equal(0f, v));   // the masked-on positions blanked
            Assert.Equal(0f, TokenLogProbs.PerSequence(f["sft.logits"], f["sft.targets"], mask, average: true).ToArray<float>()[2]);
        });

    [Fact]
    public void Targets_that_do_not_line_up_with_the_logits_are_refused_with_every_shape_named()
    {
        using var scope = TensorScope.Begin();
        var e = Assert.Throws<ArgumentException>(() =>
            TokenLogProbs.PerToken(Tensor.Zeros([2, 5, 7]), Tensor.Zeros([2, 4], ScalarType.Int64), Tensor.Ones([2, 4], ScalarType.Bool)));
        Assert.Contains("logits [2, 5, 7], targets [2, 4], mask [2, 4]", e.Message);
    }
}
