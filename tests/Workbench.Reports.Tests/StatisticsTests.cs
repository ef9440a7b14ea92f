// Statistics: mean/std over seeds, Welch's and the paired t-test, against values computed with mpmath (30 digits).
namespace Workbench.Reports.Tests;

public sealed class StatisticsTests
{
    [Theory]
    // a, b, t, Welch-Satterthwaite df, two-sided p: mpmath quadrature of the Student-t density.
    [InlineData(new[] { 0.81, 0.79, 0.83 }, new[] { 0.75, 0.77, 0.74, 0.76 }, 4.1576092031015, 3.23471882640587, 0.0218186741246943)]
    [InlineData(new[] { 2.31, 2.35, 2.29 }, new[] { 2.30, 2.36, 2.33 }, -0.539359889970594, 3.99867812293457, 0.618268582234817)]
    [InlineData(new[] { 1.0, 2, 3, 4, 5 }, new[] { 2.0, 4, 6, 8, 10, 12 }, -2.37635410314402, 6.97225572979493, 0.0492843382067305)]
    public void Welch_t_test_matches_the_reference_statistic_degrees_of_freedom_and_p_value(
        double[] a, double[] b, double t, double df, double p)
    {
        // Given two samples of final metrics over seeds
        // When they are compared with Welch's t-test
        var result = Statistics.WelchTTest(a, b);

        // Then t, df and the two-sided p agree with the reference to 1e-9
        Assert.Equal(t, result.T, 1e-9);
        Assert.Equal(df, result.DegreesOfFreedom, 1e-9);
        Assert.Equal(p, result.PValue, 1e-9);
    }

    [Theory]
    // a, b (pair i: a[i], b[i]), t, df = n - 1, two-sided p: mpmath quadrature of the Student-t density.
    [InlineData(new[] { 0.767, 0.703, 0.75 }, new[] { 0.703, 0.700, 0.790 }, 0.298292467541289, 2, 0.793616338824144)]
    [InlineData(new[] { 0.81, 0.85, 0.74, 0.9 }, new[] { 0.75, 0.80, 0.70, 0.86 }, 9.92242638947478, 3, 0.00217751311358747)]
    [InlineData(new[] { 0.5, 0.6, 0.7 }, new[] { 0.45, 0.52, 0.66 }, 4.71495166791445, 2, 0.0421585113076812)]
    public void Paired_t_test_matches_the_reference_statistic_degrees_of_freedom_and_p_value(double[] a, double[] b, double t, double df, double p)
    {
        // Given each seed's run of a stage and of the run it started from
        var result = Statistics.PairedTTest(a, b);

        // Then t, df and the two-sided p agree with the reference (scipy.stats.ttest_rel's definition)
        Assert.Equal(t, result.T, 1e-9);
        Assert.Equal(df, result.DegreesOfFreedom);
        Assert.Equal(p, result.PValue, 1e-9);
        Assert.Equal("paired t-test", result.Test);
    }

    [Fact]
    public void Paired_t_test_refuses_unpaired_samples_and_reads_identical_differences_as_exact()
    {
        Assert.Contains("two or more pairs", Assert.Throws<ArgumentException>(() => Statistics.PairedTTest([1.0, 2.0], [1.0])).Message);
        Assert.Throws<ArgumentException>(() => Statistics.PairedTTest([1.0], [1.0]));
        Assert.Equal(0, Statistics.PairedTTest([0.6, 0.7], [0.5, 0.6]).PValue, 1e-12);
        Assert.Equal(1, Statistics.PairedTTest([0.6, 0.7], [0.6, 0.7]).PValue);
    }

    [Fact]
    public void A_p_value_of_0_05_or_more_is_not_significant()
    {
        // Given seeds whose means differ by less than their spread
        var result = Statistics.WelchTTest([2.31, 2.35, 2.29], [2.30, 2.36, 2.33]);

        // Then the difference is not called significant
        Assert.False(result.Significant);
        Assert.True(Statistics.WelchTTest([0.81, 0.79, 0.83], [0.75, 0.77, 0.74, 0.76]).Significant);
    }

    [Theory]
    [InlineData(1.5, 3.7, 0.893200915398993)]
    [InlineData(-2.2, 10.0, 0.0262205342246766)]
    [InlineData(4.0, 2.5, 0.980493512079341)]
    [InlineData(0.0, 7.0, 0.5)]
    public void Student_t_cdf_matches_numerical_integration_of_the_density(double t, double df, double expected)
    {
        Assert.Equal(expected, Statistics.StudentTCdf(t, df), 1e-10);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(-4.0)]
    [InlineData(25.0)]
    public void Student_t_cdf_with_one_and_two_degrees_of_freedom_matches_the_closed_forms(double t)
    {
        // df = 1 is the Cauchy distribution; df = 2 has F(t) = 1/2 + t / (2 sqrt(2 + t^2)).
        Assert.Equal(0.5 + Math.Atan(t) / Math.PI, Statistics.StudentTCdf(t, 1), 1e-12);
        Assert.Equal(0.5 + t / (2 * Math.Sqrt(2 + t * t)), Statistics.StudentTCdf(t, 2), 1e-12);
    }

    [Theory]
    [InlineData(0.3, 2.5, 0.5, 0.0189271240719457)]
    [InlineData(0.7, 5, 3, 0.6470695)]
    [InlineData(0.999, 0.5, 0.5, 0.979864958366623)]
    public void Regularized_incomplete_beta_matches_mpmath(double x, double a, double b, double expected)
    {
        Assert.Equal(expected, Statistics.RegularizedIncompleteBeta(x, a, b), 1e-12);
    }

    [Fact]
    public void Mean_and_sample_standard_deviation_use_n_minus_one()
    {
        double[] values = [1, 2, 3, 4];
        Assert.Equal(2.5, Statistics.Mean(values));
        Assert.Equal(Math.Sqrt(5.0 / 3.0), Statistics.Std(values), 1e-15);
        Assert.Equal(0, Statistics.Std([7.0]));
    }

    [Fact]
    public void Log_gamma_matches_known_values()
    {
        Assert.Equal(0.5723649429247001, Statistics.LogGamma(0.5), 1e-13);
        Assert.Equal(13.48203678613836, Statistics.LogGamma(10.3), 1e-12);
    }

    [Fact]
    public void Welch_t_test_refuses_a_sample_with_one_seed()
    {
        var error = Assert.Throws<ArgumentException>(() => Statistics.WelchTTest([1.0], [1.0, 2.0]));
        Assert.Contains("two or more", error.Message);
    }
}
