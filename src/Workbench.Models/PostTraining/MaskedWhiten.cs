// Statistics over the tokens a mask counts, as TRL's masked_mean, masked_var and masked_whiten compute them:
// PPO whitens its advantages (and, optionally, its rewards) over a batch's completion tokens only, so padding
// after end of turn moves neither the mean nor the variance.
using Workbench.Torch;

namespace Workbench.Models.PostTraining;

public static class MaskedWhiten
{
    /// <summary>() the mean of <paramref name="values"/> where the (same-shaped) mask is on.</summary>
    public static Tensor Mean(Tensor values, Tensor mask)
    {
        var on = OnAsFloat(values, mask);
        return (values * on).Sum() / on.Sum();
    }

    /// <summary>() the unbiased variance (Bessel's n / (n - 1)) where the mask is on; it needs two counted values.</summary>
    public static Tensor Var(Tensor values, Tensor mask)
    {
        var on = OnAsFloat(values, mask);
        var count = on.Sum();
        var centred = values - (values * on).Sum() / count;
        return (centred.Square() * on).Sum() / (count - 1);
    }

    /// <summary>
    /// (values - mean) / sqrt(var + 1e-8) over the counted values; with <paramref name="shiftMean"/> false the mean is
    /// added back (TRL whitens rewards so, keeping their sign, and advantages to mean 0). 0 where the mask is off.
    /// </summary>
    public static Tensor Whiten(Tensor values, Tensor mask, bool shiftMean = true)
    {
        var on = OnAsFloat(values, mask);
        var mean = Mean(values, on);
        var whitened = (values - mean) * (Var(values, on) + 1e-8).Rsqrt();
        return (shiftMean ? whitened : whitened + mean) * on;
    }

    /// <summary>The mask as 0/1 in the values' dtype, after checking the shapes agree.</summary>
    internal static Tensor OnAsFloat(Tensor values, Tensor mask)
    {
        if (!mask.Shape.SequenceEqual(values.Shape))
            throw new ArgumentException($"a masked statistic needs a mask shaped like its values [{string.Join(", ", values.Shape)}]; " +
                                        $"got [{string.Join(", ", mask.Shape)}]");
        return TokenLogProbs.AsBool(mask).To(values.DType);
    }
}
