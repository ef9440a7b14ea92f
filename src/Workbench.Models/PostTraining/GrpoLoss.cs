// GRPO's loss, as TRL's GRPOTrainer computes it per token from the policy's log-probabilities of the sampled
// completions, those of the policy that sampled them (old), the reference's and the group advantages A:
//   ratio   r = exp(logp - old)                      (old = logp, detached, when each rollout is trained on once)
//   clipped -min(r A, clip(r, 1 - epsilon, 1 + epsilon_high) A)   (epsilon_high > epsilon: DAPO's clip-higher)
//   KL      + beta (exp(ref - logp) - (ref - logp) - 1)           (Schulman's k3 estimator, unbiased and >= 0)
// then normalised over the completion tokens as loss_type says:
//   grpo     each completion's mean over its tokens, averaged over completions (short answers weigh more per token)
//   dr_grpo  the sum over all tokens / (completions x max_completion_length) (Dr. GRPO: no length bias)
//   dapo     the sum over all tokens / the tokens of the whole batch (DAPO's token-level mean)
// With one update per rollout the ratio is 1 and the loss is -mean(A) + beta KL: near 0 whatever is learnt,
// so watch the reward, not the loss.
using Workbench.Torch;

namespace Workbench.Models.PostTraining;

public enum GrpoLossType { Grpo, DrGrpo, Dapo }

public sealed record GrpoSettings
{
    /// <param name="epsilon">The ratio's lower clip, 1 - epsilon; in (0, 1).</param>
    /// <param name="epsilonHigh">The ratio's upper clip, 1 + epsilon_high; null: epsilon.</param>
    /// <param name="beta">Weight of the KL to the reference; 0: no reference is needed.</param>
    /// <param name="lossType">How the per-token losses are normalised.</param>
    /// <param name="maxCompletionLength">dr_grpo's constant divisor per completion: the generation limit, in tokens.</param>
    public GrpoSettings(double epsilon = 0.2, double? epsilonHigh = null, double beta = 0, GrpoLossType lossType = GrpoLossType.Dapo,
        int maxCompletionLength = 256)
    {
        if (!(epsilon is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "GRPO's epsilon must be in (0, 1)");
        if (epsilonHigh is { } high && !(high > 0 && double.IsFinite(high)))
            throw new ArgumentOutOfRangeException(nameof(epsilonHigh), epsilonHigh, "GRPO's epsilon_high must be above 0");
        if (!(beta >= 0 && double.IsFinite(beta))) throw new ArgumentOutOfRangeException(nameof(beta), beta, "GRPO's beta must be >= 0");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCompletionLength);
        (Epsilon, EpsilonHigh, Beta, LossType, MaxCompletionLength) = (epsilon, epsilonHigh ?? epsilon, beta, lossType, maxCompletionLength);
    }

    public double Epsilon { get; }
    public double EpsilonHigh { get; }
    public double Beta { get; }
    public GrpoLossType LossType { get; }
    public int MaxCompletionLength { get; }
}

/// <param name="Loss">() the normalised loss, with its gradient through the policy's log-probabilities.</param>
/// <param name="ClipRatio">() the fraction of completion tokens whose ratio left the clip range on the side that clips (TRL's clip_ratio/region_mean).</param>
/// <param name="Entropy">() mean entropy of the policy's next-token distribution over the completion tokens.</param>
/// <param name="Kl">() mean k3 KL to the reference over the completion tokens; null when beta is 0.</param>
public sealed record GrpoLoss(Tensor Loss, Tensor ClipRatio, Tensor Entropy, Tensor? Kl) : ILossWithMetrics
{
    public IReadOnlyList<(string Key, Tensor Value)> Metrics =>
        Kl is null ? [("clip_ratio", ClipRatio), ("entropy", Entropy)] : [("clip_ratio", ClipRatio), ("entropy", Entropy), ("kl", Kl)];

    /// <param name="logProbs">(N, T) the policy's log-probability of each completion token, with gradient.</param>
    /// <param name="oldLogProbs">(N, T) the sampling policy's; null: <paramref name="logProbs"/> detached (one update per rollout).</param>
    /// <param name="referenceLogProbs">(N, T) the reference's; needed when beta is above 0.</param>
    /// <param name="advantages">(N) from <see cref="GroupAdvantage"/>.</param>
    /// <param name="mask">(N, T) bool or 0/1: the completion tokens; nothing off it is read.</param>
    /// <param name="entropy">(N, T) the policy's entropy at each completion token (logged only).</param>
    /// <param name="batchTokens">dapo's divisor: the completion tokens of the whole batch when this is part of it; null: this mask's.</param>
    public static GrpoLoss Compute(GrpoSettings settings, Tensor logProbs, Tensor? oldLogProbs, Tensor? referenceLogProbs, Tensor advantages,
        Tensor mask, Tensor entropy, double? batchTokens = null)
    {
        Tensor?[] perToken = [logProbs, oldLogProbs, referenceLogProbs, mask, entropy];
        if (logProbs.Dim != 2 || perToken.Any(t => t is not null && !t.Shape.SequenceEqual(logProbs.Shape))
            || advantages.Dim != 1 || advantages.Size(0) != logProbs.Size(0))
            throw new ArgumentException("the GRPO loss needs per-token tensors of one shape (N, T) and advantages (N); got " +
                                        string.Join(", ", perToken.Append(advantages).Where(t => t is not null).Select(t => $"[{string.Join(", ", t!.Shape)}]")));
        if (settings.Beta > 0 && referenceLogProbs is null)
            throw new ArgumentException($"beta {settings.Beta} weighs a KL to the reference: its log-probabilities are needed", nameof(referenceLogProbs));
        var on = TokenLogProbs.AsBool(mask);
        var off = on.LogicalNot();
        var count = TokenLogProbs.Count(mask);                                                // () completion tokens
        var old = (oldLogProbs ?? logProbs).Detach();
        var a = advantages.Detach().To(logProbs.DType).Unsqueeze(1);                         // (N, 1)
        var ratio = (logProbs - old).Exp();                                                  // (N, T)
        var clipped = ratio.Clamp(1 - settings.Epsilon, 1 + settings.EpsilonHigh);
        var losses = -(ratio * a).Minimum(clipped * a);                                      // (N, T)
        Tensor? kl = null;
        if (settings.Beta > 0)
        {
            var delta = referenceLogProbs!.Detach() - logProbs;
            kl = delta.Exp() - delta - 1;                                                    // (N, T) k3
            losses = losses + kl * settings.Beta;
        }
        var masked = losses.MaskedFill(off, 0);                                              // off the mask: no value, no gradient
        var loss = settings.LossType switch
        {
            GrpoLossType.Grpo => (masked.Sum(1) / TokenLogProbs.Count(mask, 1)).Mean(),
            GrpoLossType.DrGrpo => masked.Sum() / ((double)logProbs.Size(0) * settings.MaxCompletionLength),
            GrpoLossType.Dapo => batchTokens is { } tokens ? masked.Sum() / tokens : masked.Sum() / count,
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.LossType, "unknown GRPO loss type"),
        };
        using var noGrad = new NoGrad();
        Tensor MaskedMean(Tensor x) => x.MaskedFill(off, 0).Sum() / count;
        var low = ratio.Lt(1 - settings.Epsilon).LogicalAnd(a.Lt(0));
        var high = ratio.Gt(1 + settings.EpsilonHigh).LogicalAnd(a.Gt(0));
        return new GrpoLoss(loss, MaskedMean(low.LogicalOr(high).To(ScalarType.Float32)), MaskedMean(entropy.Detach().To(ScalarType.Float32)),
            kl is null ? null : MaskedMean(kl.Detach()));
    }
}
