// Supervised fine-tuning's loss: next-token cross entropy on the answer's tokens only, the prompt and the padding
// masked out (TRL's completion-only loss), with the token accuracy and token count SFTTrainer logs beside it.
using Workbench.Torch;

namespace Workbench.Models.PostTraining;

/// <param name="Loss">() mean cross entropy over the masked targets (0 when there are none), with its gradient.</param>
/// <param name="MeanTokenAccuracy">() the fraction of masked targets that are the logits' argmax.</param>
/// <param name="NumTokens">() int64, how many targets the mask counted.</param>
public sealed record SftLoss(Tensor Loss, Tensor MeanTokenAccuracy, Tensor NumTokens) : ILossWithMetrics
{
    public IReadOnlyList<(string Key, Tensor Value)> Metrics => [("mean_token_accuracy", MeanTokenAccuracy), ("num_tokens", NumTokens)];

    /// <summary>(B, T, V) logits, (B, T) pre-shifted int64 targets, (B, T) mask: see <see cref="TokenLogProbs"/>.</summary>
    public static SftLoss Compute(Tensor logits, Tensor targets, Tensor mask)
    {
        var count = TokenLogProbs.Count(mask);                                           // ()
        var loss = TokenLogProbs.MeanNll(TokenLogProbs.PerToken(logits, targets, mask), mask);
        using var noGrad = new NoGrad();
        var on = TokenLogProbs.AsBool(mask);
        var correct = logits.ArgMax(2).Eq(targets).LogicalAnd(on);                       // (B, T)
        return new SftLoss(loss, correct.To(ScalarType.Float32).Sum() / count, on.To(ScalarType.Int64).Sum());
    }
}
