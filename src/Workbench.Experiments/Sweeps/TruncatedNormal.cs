// The normal distribution truncated to [low, high], as TPE's Parzen estimators need it: log density,
// log probability mass of an interval (for integer parameters) and sampling. Tails are computed in
// log space through the scaled complementary error function, so a kernel far from the range still
// gives a finite log density rather than log(0).
namespace Workbench.Experiments.Sweeps;

internal static class TruncatedNormal
{
    private static readonly double LogSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>log of the density at x of N(mu, sigma²) truncated to [low, high].</summary>
    public static double LogPdf(double x, double mu, double sigma, double low, double high)
    {
        if (x < low || x > high) return double.NegativeInfinity;
        var z = (x - mu) / sigma;
        return -0.5 * z * z - LogSqrt2Pi - Math.Log(sigma) - LogMass((low - mu) / sigma, (high - mu) / sigma);
    }

    /// <summary>log P(a &lt; Z &lt; b) for a standard normal Z, accurate in both tails.</summary>
    public static double LogMass(double a, double b)
    {
        if (a >= b) return double.NegativeInfinity;
        if (a >= 0)
        {
            // Both in the upper tail: Q(a) - Q(b) with Q the upper tail, kept in logs.
            var (qa, qb) = (LogUpperTail(a), LogUpperTail(b));
            return qa + Math.Log(-double.ExpM1(qb - qa));
        }
        if (b <= 0) return LogMass(-b, -a);
        // Around the centre: erf of each side, no cancellation.
        return Math.Log(0.5 * (Erf(b / Math.Sqrt(2)) + Erf(-a / Math.Sqrt(2))));
    }

    /// <summary>
    /// The point of N(mu, sigma²) truncated to [low, high] below which a fraction <paramref name="u"/> in (0, 1]
    /// of its mass lies: a draw when u is uniform. Optuna inverts the CDF in closed form; here the same
    /// quantile is found by Newton steps kept inside a shrinking bracket.
    /// </summary>
    public static double Quantile(double u, double mu, double sigma, double low, double high)
    {
        var (a, b) = ((low - mu) / sigma, (high - mu) / sigma);
        if (a >= b) return low;
        var target = Math.Log(u) + LogMass(a, b);
        var (lo, hi) = (a, b);
        var z = 0.5 * (a + b);
        for (var i = 0; i < 200 && hi - lo > 1e-14 * Math.Max(1, Math.Abs(z)); i++)
        {
            var mass = LogMass(a, z);
            var gap = mass - target;
            if (gap == 0) break;
            if (gap > 0) hi = z; else lo = z;
            // d/dz log P(a < Z < z) = phi(z) / P(a < Z < z)
            var slope = Math.Exp(-0.5 * z * z - LogSqrt2Pi - mass);
            var next = z - gap / slope;
            z = double.IsFinite(next) && next > lo && next < hi ? next : 0.5 * (lo + hi);
        }
        return Math.Clamp(mu + sigma * z, low, high);
    }

    /// <summary>log Q(x) = log P(Z &gt; x) for x &gt;= 0: log(erfc(x/√2)/2) through the scaled erfc, finite far out.</summary>
    private static double LogUpperTail(double x)
    {
        var y = x / Math.Sqrt(2);
        return y < SeriesLimit ? Math.Log(0.5 * (1 - Erf(y))) : -y * y + Math.Log(0.5 * ScaledErfc(y));
    }

    private const double SeriesLimit = 2.5;

    /// <summary>erf(y) for y &gt;= 0: a series of positive terms below 2.5, the continued fraction above.</summary>
    public static double Erf(double y)
    {
        if (y >= SeriesLimit) return 1 - Math.Exp(-y * y) * ScaledErfc(y);
        // erf(y) = 2/√π e^(-y²) Σ 2^n y^(2n+1) / (1·3·5···(2n+1))
        var term = y;
        var sum = y;
        for (var n = 1; n < 200 && term > 1e-17 * sum; n++)
        {
            term *= 2 * y * y / (2 * n + 1);
            sum += term;
        }
        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-y * y) * sum;
    }

    /// <summary>e^(y²) erfc(y) for y &gt;= 2.5, by the continued fraction 1/√π · 1/(y + (1/2)/(y + 1/(y + (3/2)/(y + ...)))).</summary>
    private static double ScaledErfc(double y)
    {
        var f = y;
        for (var k = 80; k >= 1; k--) f = y + k / 2.0 / f;
        return 1 / (Math.Sqrt(Math.PI) * f);
    }
}
