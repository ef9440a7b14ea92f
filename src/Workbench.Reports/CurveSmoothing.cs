// Smoothing of a noisy curve, as the report's smoothing slider does it, so a static chart drawn with
// `--smooth W` shows what the report shows at W.
namespace Workbench.Reports;

public static class CurveSmoothing
{
    /// <summary>
    /// The debiased exponential moving average (TensorBoard's smoothing): weight 0 is the raw curve,
    /// towards 1 smoother. Debiasing keeps the first points from being pulled towards zero. The page's
    /// script (web/report.js, `ema`) computes the same on the slider's weight.
    /// </summary>
    public static double[] Ema(double[] values, double weight)
    {
        if (weight is < 0 or >= 1 || double.IsNaN(weight))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), $"the smoothing weight must be in [0, 1) (got {weight})");
        }
        if (weight == 0)
        {
            return values;
        }
        var smoothed = new double[values.Length];
        double last = 0, norm = 0;
        for (var i = 0; i < values.Length; i++)
        {
            last = last * weight + (1 - weight) * values[i];
            norm = norm * weight + (1 - weight);
            smoothed[i] = last / norm;
        }
        return smoothed;
    }
}
