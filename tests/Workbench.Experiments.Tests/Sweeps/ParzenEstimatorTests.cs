// The Parzen estimator against Optuna's formulas on small cases worked by hand: kernel widths from the
// sorted neighbours (consider_endpoints off), the magic clip, the prior kernel, the weights, integer and
// categorical probabilities; and the truncated normal underneath against Python's math.erf.
using Workbench.Data;
using Workbench.Experiments.Sweeps;

namespace Workbench.Experiments.Tests.Sweeps;

public sealed class ParzenEstimatorTests
{
    private const double Tolerance = 1e-12;

    private static ParameterSpace Uniform(double low, double high) => ParameterSpace.Of(new SweepParameter("x", ParameterKind.Uniform, null, low, high));

    [Fact]
    public void Kernel_widths_are_the_larger_neighbour_gap_the_outermost_take_the_inner_gap_then_the_magic_clip()
    {
        // Given observations 3, 3.5 and 9 on [0, 10]: sorted with the prior's centre 5 and the ends,
        // 0 | 3 3.5 5 9 | 10. Widths: 3 -> 3.5 - 3 = 0.5 (outermost: the inner gap, not the 3 to the end);
        // 3.5 -> max(0.5, 1.5) = 1.5; 9 -> 9 - 5 = 4 (outermost). The magic clip raises them to at least
        // 10 / min(100, 1 + 4 kernels) = 2: so 2, 2, 4. The prior: centre 5, width 10. Weights 1 each, normalised.
        var estimator = ParzenEstimator.Fit(Uniform(0, 10), [3, 3.5, 9]);

        Assert.Equal([3, 3.5, 9, 5], estimator.Mus);
        Assert.Equal([2, 2, 4, 10], estimator.Sigmas);
        Assert.Equal([0.25, 0.25, 0.25, 0.25], estimator.Weights);
    }

    [Fact]
    public void Without_observations_the_prior_alone_covers_the_range()
    {
        var estimator = ParzenEstimator.Fit(Uniform(-1, 3), []);

        Assert.Equal([1.0], estimator.Mus);
        Assert.Equal([4.0], estimator.Sigmas);
        Assert.Equal([1.0], estimator.Weights);
    }

    [Theory]
    // log of 1/4 sum_k N(x; mu_k, sigma_k) / (Phi((10 - mu_k)/sigma_k) - Phi(-mu_k/sigma_k)), from Python's math.erfc
    [InlineData(3.0, -1.9437622858296473)]
    [InlineData(7.0, -2.506857037613396)]
    [InlineData(0.0, -2.90110938892619)]
    public void The_density_is_the_weighted_mixture_of_truncated_gaussians(double x, double expected)
    {
        var estimator = ParzenEstimator.Fit(Uniform(0, 10), [3, 3.5, 9]);

        Assert.Equal(expected, estimator.LogPdf(x), Tolerance);
        Assert.Equal(double.NegativeInfinity, estimator.LogPdf(10.5));
    }

    [Fact]
    public void A_log_range_is_modelled_in_the_logarithm()
    {
        var space = ParameterSpace.Of(new SweepParameter("lr", ParameterKind.LogUniform, null, 1e-4, 1e-2));

        var estimator = ParzenEstimator.Fit(space, [space.Internal(1e-3)!.Value]);

        // One observation at the middle decade: its centre is log(1e-3) and the prior spans log(1e-2) - log(1e-4)
        Assert.Equal(Math.Log(1e-3), estimator.Mus[0], Tolerance);
        Assert.Equal(Math.Log(100), estimator.Sigmas[1], Tolerance);
        Assert.Equal(1e-3, (double)space.External(Math.Log(1e-3)), 1e-15);
    }

    [Fact]
    public void An_integer_range_is_widened_by_half_a_step_and_each_integer_gets_the_mass_around_it()
    {
        // Given int_uniform [1, 4] and one observation, 2: the range is [0.5, 4.5]; sorted 0.5 | 2 2.5 | 4.5;
        // both kernels are outermost, so the gap 0.5, clipped up to 4 / min(100, 1 + 2) = 4/3; the prior is 2.5 wide 4.
        var space = ParameterSpace.Of(new SweepParameter("n", ParameterKind.IntUniform, null, 1, 4));
        var estimator = ParzenEstimator.Fit(space, [2]);

        Assert.Equal([2, 2.5], estimator.Mus);
        Assert.Equal(4.0 / 3, estimator.Sigmas[0], Tolerance);
        Assert.Equal(4.0, estimator.Sigmas[1], Tolerance);
        // P(k) = 1/2 sum over kernels of mass([k - 1/2, k + 1/2]) / mass([0.5, 4.5]), from Python's math.erfc
        double[] expected = [0.2542818024366074, 0.30303956258149245, 0.2620511976123524, 0.18062743736954773];
        for (var k = 1; k <= 4; k++) Assert.Equal(expected[k - 1], Math.Exp(estimator.LogPdf(k)), Tolerance);
        // Draws are the integers of the range
        var rng = new SplitMix64(1UL);
        var draws = Enumerable.Range(0, 400).Select(_ => estimator.Sample(rng)).ToList();
        Assert.Equal([1.0, 2.0, 3.0, 4.0], draws.Distinct().Order());
    }

    [Fact]
    public void Categories_get_one_on_the_observed_choice_plus_the_prior_spread_over_all()
    {
        // Given choices a, b, c and observations a, a, c: 4 kernels, each row prior 1/4 on every choice plus 1
        // on its own, normalised ([1.25, .25, .25] / 1.75 for a), the prior's row uniform; weights 1/4 each.
        // P(a) = 1/4 (10/7 + 1/7 + 1/3) = 10/21, P(b) = 1/4 (3/7 + 1/3) = 4/21, P(c) = 1/4 (1 + 1/3) = 7/21.
        var space = ParameterSpace.Of(new SweepParameter("opt", ParameterKind.Values, ["a", "b", "c"], 0, 0));
        var estimator = ParzenEstimator.Fit(space, [0, 0, 2]);

        Assert.Equal(10.0 / 21, Math.Exp(estimator.LogPdf(0)), Tolerance);
        Assert.Equal(4.0 / 21, Math.Exp(estimator.LogPdf(1)), Tolerance);
        Assert.Equal(7.0 / 21, Math.Exp(estimator.LogPdf(2)), Tolerance);
        Assert.Equal(2.0, space.Internal("c"));
        Assert.Null(space.Internal("d"));
    }

    [Fact]
    public void Weights_are_flat_up_to_25_observations_then_the_oldest_ramp_up_from_1_over_n()
    {
        Assert.Equal(Enumerable.Repeat(1.0, 24), ParzenEstimator.DefaultWeights(24));
        Assert.Equal(Enumerable.Repeat(1.0, 25), ParzenEstimator.DefaultWeights(25));
        // n = 30: linspace(1/30, 1, 5) for the five oldest, then 25 ones
        var weights = ParzenEstimator.DefaultWeights(30);
        Assert.Equal([1.0 / 30, 0.275, 31.0 / 60, 0.7583333333333333, 1.0], weights.Take(5), new ToleranceComparer(Tolerance));
        Assert.Equal(Enumerable.Repeat(1.0, 25), weights.Skip(5));
        // In the estimator the prior weighs 1 and all are normalised
        var estimator = ParzenEstimator.Fit(Uniform(0, 1), [.. Enumerable.Range(0, 30).Select(i => i / 30.0)]);
        Assert.Equal(1.0 / (weights.Sum() + 1), estimator.Weights[^1], Tolerance);
    }

    [Theory]
    [InlineData(0.1, 0.1124629160182849)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(2.4, 0.999311486103355)]
    [InlineData(2.6, 0.9997639655834707)]
    [InlineData(4.0, 0.9999999845827421)]
    public void Erf_matches_pythons_math_erf(double y, double expected) =>
        Assert.Equal(expected, TruncatedNormal.Erf(y), 1e-15);

    [Fact]
    public void Far_tails_keep_a_finite_log_mass_and_the_quantile_inverts_it()
    {
        // P(30 < Z < 31) ~ phi(30)/30 (Mills' ratio): log ~ -450 - log(30 sqrt(2 pi)); a plain CDF difference gives log(0)
        var expected = -450 - Math.Log(30 * Math.Sqrt(2 * Math.PI)) + Math.Log(1 - 1.0 / 900);
        Assert.Equal(expected, TruncatedNormal.LogMass(30, 31), 1e-3);
        Assert.Equal(TruncatedNormal.LogMass(30, 31), TruncatedNormal.LogMass(-31, -30), Tolerance);

        foreach (var (low, high) in new[] { (-1.0, 2.0), (3.0, 40.0), (-40.0, -3.0), (0.0, 1e-3) })
        foreach (var u in new[] { 1e-6, 0.25, 0.5, 0.9, 1.0 })
        {
            var x = TruncatedNormal.Quantile(u, 0, 1, low, high);
            Assert.InRange(x, low, high);
            if (u < 1) Assert.Equal(Math.Log(u) + TruncatedNormal.LogMass(low, high), TruncatedNormal.LogMass(low, x), 1e-6);
        }
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;

        public int GetHashCode(double value) => 0;
    }
}
