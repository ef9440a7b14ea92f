// Log-probabilities a language model gives the tokens that follow, per token and per sequence: what the SFT loss
// and DPO's policy and reference terms are made of. Targets are pre-shifted, as the pretrain stage's windows are:
// targets[b, t] is the token after position t, so logits[b, t] scores it. The mask says which targets count (the
// answer's tokens, not the prompt's or the padding's); a target under a false mask is never read, whatever it holds.
using Workbench.Torch;

namespace Workbench.Models.PostTraining;

public static class TokenLogProbs
{
    private const long Ignored = -100;

    /// <summary>
    /// (B, T, V) logits, (B, T) int64 targets and a (B, T) bool or 0/1 mask -> (B, T) log p(target), 0 where the
    /// mask is off. One fused log-softmax and gather (cross entropy without reduction), no (B, T, V) copy kept.
    /// </summary>
    public static Tensor PerToken(Tensor logits, Tensor targets, Tensor mask)
    {
        CheckShapes(logits, targets, mask);
        var counted = targets.MaskedFill(AsBool(mask).LogicalNot(), Ignored);                         // (B, T)
        var nll = Functional.CrossEntropy(logits.Reshape(-1, logits.Size(2)), counted.Reshape(-1), Reduction.None, Ignored);
        return -nll.View(targets.Shape);
    }

    /// <summary>
    /// (B) log-probability of each row's masked targets: their sum (DPO's sigmoid and hinge losses), or with
    /// <paramref name="average"/> their mean per token (IPO, as TRL's DPOTrainer divides by the answer's length).
    /// A row with no masked target scores 0.
    /// </summary>
    public static Tensor PerSequence(Tensor logits, Tensor targets, Tensor mask, bool average = false) =>
        PerSequence(PerToken(logits, targets, mask), mask, average);

    /// <summary>As the other overload, from <see cref="PerToken"/>'s (B, T) result, for a caller that also needs it.</summary>
    public static Tensor PerSequence(Tensor perToken, Tensor mask, bool average)
    {
        var sum = perToken.Sum(1);                                                                   // (B)
        return average ? sum / Count(mask, 1) : sum;
    }

    /// <summary>(B, T, V) logits -> (B, T) the entropy of each position's next-token distribution, logsumexp - E[logits].</summary>
    public static Tensor Entropy(Tensor logits) => logits.LogSumExp(-1) - (logits.Softmax(-1) * logits).Sum(-1);

    /// <summary>() the mean negative log-probability over all masked targets (0 when there are none): SFT's loss, RPO's term.</summary>
    public static Tensor MeanNll(Tensor perToken, Tensor mask) => -perToken.Sum() / Count(mask);

    /// <summary>The mask as bool: a float or integer mask is true where it is not 0.</summary>
    internal static Tensor AsBool(Tensor mask) => mask.DType == ScalarType.Bool ? mask : mask.Ne(0);

    /// <summary>How many targets the mask counts (over <paramref name="dim"/>, or all), at least 1, as float32: a divisor.</summary>
    internal static Tensor Count(Tensor mask, long? dim = null)
    {
        var on = AsBool(mask).To(ScalarType.Float32);
        return (dim is { } d ? on.Sum(d) : on.Sum()).Clamp(min: 1);
    }

    private static void CheckShapes(Tensor logits, Tensor targets, Tensor mask)
    {
        if (logits.Dim != 3 || !targets.Shape.SequenceEqual(logits.Shape[..2]) || !mask.Shape.SequenceEqual(targets.Shape))
            throw new ArgumentException($"token log-probabilities need logits (B, T, V), targets (B, T) and a mask (B, T); " +
                                        $"got logits [{string.Join(", ", logits.Shape)}], targets [{string.Join(", ", targets.Shape)}], " +
                                        $"mask [{string.Join(", ", mask.Shape)}]");
    }
}
