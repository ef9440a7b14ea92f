// Per-token estimates of KL(policy || reference) from the log-probabilities both give the tokens the policy
// sampled (Schulman, "Approximating KL divergence"; TRL's kl_estimator). With log r = ref - policy:
//   k1   -log r               unbiased, but negative on some tokens
//   k3   (r - 1) - log r      unbiased and never negative, lower variance
// Summed over a completion, either estimates the sequence's KL; PPO charges it token by token.
using Workbench.Torch;

namespace Workbench.Models.PostTraining;

public enum KlEstimator { K1, K3 }

public static class KlEstimate
{
    /// <summary>(B, T) policy and reference log-probabilities of the sampled tokens -> (B, T) the estimate, 0 where the mask is off.</summary>
    public static Tensor PerToken(Tensor logProbs, Tensor referenceLogProbs, Tensor mask, KlEstimator estimator)
    {
        if (!referenceLogProbs.Shape.SequenceEqual(logProbs.Shape))
            throw new ArgumentException($"the KL estimate needs policy and reference log-probabilities of one shape; got " +
                                        $"[{string.Join(", ", logProbs.Shape)}] and [{string.Join(", ", referenceLogProbs.Shape)}]");
        var logRatio = referenceLogProbs - logProbs;                                     // (B, T) log r
        var kl = estimator switch
        {
            KlEstimator.K1 => -logRatio,
            KlEstimator.K3 => logRatio.Exp() - 1 - logRatio,
            _ => throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "unknown KL estimator"),
        };
        return kl * MaskedWhiten.OnAsFloat(kl, mask);
    }
}
