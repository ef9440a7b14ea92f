// Summary statistics over seeds: Welch's t-test for the difference of two groups' means, and the paired
// t-test for the mean of differences between runs that share a seed (a stage against the run it started from).
namespace Workbench.Reports;

/// <summary>The outcome of a t-test: statistic, degrees of freedom, two-sided p, and which test (its name, in words).</summary>
public sealed record TTestResult(double T, double DegreesOfFreedom, double PValue, string Test = "Welch's t-test")
{
    /// <summary>True when p &lt; 0.05: below that the difference is called significant.</summary>
    public bool Significant => PValue < 0.05;
}

/// <summary>Mean, sample standard deviation, Welch's and the paired t-test, and the Student-t distribution they need.</summary>
public static class Statistics
{
    public static double Mean(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("the mean of no values is undefined", nameof(values));
        }
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }
        return sum / values.Count;
    }

    /// <summary>The sample standard deviation (n - 1 in the denominator, as numpy's ddof=1); 0 for one value.</summary>
    public static double Std(IReadOnlyList<double> values) => Math.Sqrt(Variance(values));

    /// <summary>The unbiased sample variance; 0 for one value.</summary>
    public static double Variance(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return values.Count == 1 ? 0.0 : throw new ArgumentException("the variance of no values is undefined", nameof(values));
        }
        var mean = Mean(values);
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += (v - mean) * (v - mean);
        }
        return sum / (values.Count - 1);
    }

    /// <summary>
    /// Welch's t-test of mean(a) - mean(b) with the Welch-Satterthwaite degrees of freedom, as
    /// scipy.stats.ttest_ind(a, b, equal_var=False). Each sample needs two or more values.
    /// When both samples have zero variance the p-value is 1 for equal means and 0 otherwise.
    /// </summary>
    public static TTestResult WelchTTest(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count < 2 || b.Count < 2)
        {
            throw new ArgumentException($"Welch's t-test needs two or more values per sample (got {a.Count} and {b.Count})");
        }
        double meanA = Mean(a), meanB = Mean(b);
        double seA = Variance(a) / a.Count, seB = Variance(b) / b.Count;
        var se = seA + seB;
        if (se == 0)
        {
            var equal = meanA == meanB;
            return new TTestResult(equal ? 0 : Math.Sign(meanA - meanB) * double.PositiveInfinity, a.Count + b.Count - 2, equal ? 1 : 0);
        }
        var t = (meanA - meanB) / Math.Sqrt(se);
        var df = se * se / (seA * seA / (a.Count - 1) + seB * seB / (b.Count - 1));
        return new TTestResult(t, df, TwoSidedP(t, df));
    }

    /// <summary>
    /// The paired t-test of mean(a - b), pair i being a[i] and b[i] (the same seed's run of two stages), with n - 1
    /// degrees of freedom, as scipy.stats.ttest_rel(a, b). It needs two or more pairs. When every difference is the
    /// same the p-value is 1 if they are all 0 and 0 otherwise.
    /// </summary>
    public static TTestResult PairedTTest(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count || a.Count < 2)
        {
            throw new ArgumentException($"the paired t-test needs two or more pairs, as many values on each side (got {a.Count} and {b.Count})");
        }
        var differences = a.Select((value, i) => value - b[i]).ToList();
        var mean = Mean(differences);
        var se = Variance(differences) / differences.Count;
        var df = differences.Count - 1;
        if (se == 0)
        {
            return new TTestResult(mean == 0 ? 0 : Math.Sign(mean) * double.PositiveInfinity, df, mean == 0 ? 1 : 0, "paired t-test");
        }
        var t = mean / Math.Sqrt(se);
        return new TTestResult(t, df, TwoSidedP(t, df), "paired t-test");
    }

    /// <summary>P(T &lt;= t) for Student's t with <paramref name="df"/> degrees of freedom (df may be fractional).</summary>
    public static double StudentTCdf(double t, double df)
    {
        if (double.IsNaN(t) || !(df > 0))
        {
            return double.NaN;
        }
        var tail = 0.5 * TwoSidedP(t, df);
        return t >= 0 ? 1 - tail : tail;
    }

    // P(|T| >= |t|) = I_{df/(df+t^2)}(df/2, 1/2).
    private static double TwoSidedP(double t, double df) =>
        double.IsInfinity(t) ? 0 : RegularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);

    /// <summary>I_x(a, b), the regularized incomplete beta function, by its continued fraction.</summary>
    public static double RegularizedIncompleteBeta(double x, double a, double b)
    {
        if (x is < 0 or > 1 || !(a > 0) || !(b > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"I_x(a, b) needs 0 <= x <= 1 and a, b > 0 (got x={x}, a={a}, b={b})");
        }
        if (x == 0 || x == 1)
        {
            return x;
        }
        // x^a (1-x)^b / (a B(a, b)), in logs to stay finite for large a and b.
        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        // The continued fraction converges fast for x < (a+1)/(a+b+2); otherwise use I_x(a,b) = 1 - I_{1-x}(b,a).
        return x < (a + 1) / (a + b + 2)
            ? front * BetaContinuedFraction(x, a, b) / a
            : 1 - front * BetaContinuedFraction(1 - x, b, a) / b;
    }

    // The continued fraction 1/(1+ d1/(1+ d2/(1+ ...))) of the incomplete beta, by the modified Lentz method.
    private static double BetaContinuedFraction(double x, double a, double b)
    {
        const double tiny = 1e-300;
        const double epsilon = 1e-15;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.Abs(d) < tiny ? tiny : d);
        var result = d;
        for (var m = 1; m <= 500; m++)
        {
            // Even term d_{2m} = m(b-m)x / ((a+2m-1)(a+2m)), then odd d_{2m+1} = -(a+m)(a+b+m)x / ((a+2m)(a+2m+1)).
            foreach (var coefficient in new[]
            {
                m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
            })
            {
                d = 1 + coefficient * d;
                d = 1 / (Math.Abs(d) < tiny ? tiny : d);
                c = 1 + coefficient / c;
                c = Math.Abs(c) < tiny ? tiny : c;
                result *= d * c;
            }
            if (Math.Abs(d * c - 1) < epsilon)
            {
                break;
            }
        }
        return result;
    }

    /// <summary>ln Γ(x) for x &gt; 0, by the Lanczos approximation (g = 7, 9 terms; about 15 digits).</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            // Reflection: Γ(x) Γ(1-x) = π / sin(πx).
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }
        ReadOnlySpan<double> coefficients =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7,
        ];
        x -= 1;
        var sum = coefficients[0];
        for (var i = 1; i < coefficients.Length; i++)
        {
            sum += coefficients[i] / (x + i);
        }
        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
