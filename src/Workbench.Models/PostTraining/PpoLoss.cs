// PPO's loss on a minibatch of rollout tokens, as TRL's PPOTrainer computes it: the clipped policy objective
//   max(-A r, -A clip(r, 1 - eps, 1 + eps)),  r = exp(log pi_new - log pi_old)
// and the clipped value loss 0.5 max((V - R)^2, (clip(V, V_old - eps_v, V_old + eps_v) - R)^2), each averaged over
// the completion tokens, summed as policy + vf_coef * value. Beside it the figures TRL logs per update:
// approxkl 0.5 (log r)^2, the fractions of tokens whose policy or value term was clipped, the mean ratio and the
// policy's entropy. TRL averages approxkl, the ratio and the entropy over padding too (where they are 0, 1 and
// the pad's entropy); here they count completion tokens only.
using Workbench.Torch;

namespace Workbench.Models.PostTraining;

/// <param name="Loss">() policy + vf_coef * value, with its gradient.</param>
/// <param name="PolicyLoss">() the clipped policy objective; ValueLoss () the clipped value loss (with gradients).</param>
/// <param name="ApproxKl">() mean 0.5 (log r)^2; ClipFrac and ValueClipFrac () fractions clipped; Ratio () mean r; Entropy () mean entropy.</param>
public sealed record PpoLoss(Tensor Loss, Tensor PolicyLoss, Tensor ValueLoss, Tensor ApproxKl, Tensor ClipFrac, Tensor ValueClipFrac,
                             Tensor Ratio, Tensor Entropy) : ILossWithMetrics
{
    /// <summary>TRL's names; val/ratio and val/clipfrac_avg are its value-head figures, training metrics despite the prefix.</summary>
    public IReadOnlyList<(string Key, Tensor Value)> Metrics =>
    [
        ("loss/policy_avg", PolicyLoss), ("loss/value_avg", ValueLoss), ("policy/approxkl_avg", ApproxKl),
        ("policy/clipfrac_avg", ClipFrac), ("policy/entropy_avg", Entropy), ("val/clipfrac_avg", ValueClipFrac), ("val/ratio", Ratio),
    ];

    /// <param name="logProbs">(B, T) the policy's log-probabilities of the rollout's tokens now, with gradient.</param>
    /// <param name="oldLogProbs">(B, T) the same at rollout time (constants).</param>
    /// <param name="advantages">(B, T) whitened advantages; <paramref name="returns"/> (B, T) the value targets.</param>
    /// <param name="values">(B, T) the value head now, with gradient; <paramref name="oldValues"/> (B, T) at rollout time.</param>
    /// <param name="mask">(B, T) the completion tokens.</param>
    /// <param name="entropy">(B, T) the policy's entropy at each token (<see cref="TokenLogProbs.Entropy"/>), for the log.</param>
    public static PpoLoss Compute(PpoSettings settings, Tensor logProbs, Tensor oldLogProbs, Tensor advantages, Tensor values, Tensor oldValues,
        Tensor returns, Tensor mask, Tensor entropy)
    {
        Tensor[] all = [logProbs, oldLogProbs, advantages, values, oldValues, returns, entropy];
        if (logProbs.Dim != 2 || all.Any(t => !t.Shape.SequenceEqual(logProbs.Shape)))
            throw new ArgumentException("the PPO loss needs (B, T) tensors of one shape; got " +
                                        string.Join(", ", all.Select(t => $"[{string.Join(", ", t.Shape)}]")));
        var on = MaskedWhiten.OnAsFloat(logProbs, mask);
        var (a, r, vOld) = (advantages.Detach(), returns.Detach(), oldValues.Detach());
        var logRatio = logProbs - oldLogProbs.Detach();                                             // (B, T)
        var ratio = logRatio.Exp();
        var policyTerms = -a * ratio;
        var clippedPolicy = -a * ratio.Clamp(1 - settings.ClipRange, 1 + settings.ClipRange);
        var policyLoss = MaskedWhiten.Mean(policyTerms.Maximum(clippedPolicy), on);
        var clippedValues = vOld + (values - vOld).Clamp(-settings.ClipRangeValue, settings.ClipRangeValue);
        var valueTerms = (values - r).Square();
        var clippedValueTerms = (clippedValues - r).Square();
        var valueLoss = 0.5 * MaskedWhiten.Mean(valueTerms.Maximum(clippedValueTerms), on);
        var loss = settings.VfCoef == 0 ? policyLoss : policyLoss + settings.VfCoef * valueLoss;
        using var noGrad = new NoGrad();
        return new PpoLoss(loss, policyLoss, valueLoss,
            0.5 * MaskedWhiten.Mean(logRatio.Square(), on),
            MaskedWhiten.Mean(clippedPolicy.Gt(policyTerms).To(on.DType), on),
            MaskedWhiten.Mean(clippedValueTerms.Gt(valueTerms).To(on.DType), on),
            MaskedWhiten.Mean(ratio, on),
            MaskedWhiten.Mean(entropy.Detach(), on));
    }
}
