// Parameter importance by functional ANOVA over a seeded forest: a parameter the metric follows closely
// gets most of the share, one it follows a little gets some, one it ignores gets almost none.
namespace Workbench.Reports.Tests;

public sealed class ParameterImportanceTests
{
    // 24 trials over [0, 1]^3 (a sweep's size): the metric is 10 a + 2 b, with c drawn but unused.
    private static (List<double[]> Rows, List<double> Metric) Trials(int seed = 5)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, 24).Select(_ => new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() }).ToList();
        return (rows, rows.Select(r => 10 * r[0] + 2 * r[1]).ToList());
    }

    private static readonly (double, double)[] Unit = [(0, 1), (0, 1), (0, 1)];

    [Fact]
    public void A_parameter_the_metric_follows_strongly_outranks_one_it_follows_a_little_and_one_it_ignores_is_near_zero()
    {
        var (rows, metric) = Trials();

        var shares = ParameterImportance.Of(rows, Unit, metric);

        Assert.True(shares[0] > shares[1] && shares[1] > shares[2], $"a {shares[0]:0.000}, b {shares[1]:0.000}, c {shares[2]:0.000}");
        Assert.True(shares[0] > 0.7, $"a {shares[0]:0.000}");
        Assert.True(shares[2] < 0.05, $"c {shares[2]:0.000}");
        Assert.Equal(1.0, shares.Sum(), 9);
    }

    [Fact]
    public void The_same_trials_give_the_same_importance_and_the_order_holds_for_other_draws()
    {
        var (rows, metric) = Trials();
        Assert.Equal(ParameterImportance.Of(rows, Unit, metric), ParameterImportance.Of(rows, Unit, metric));

        foreach (var seed in new[] { 1, 2, 3 })
        {
            var (other, values) = Trials(seed);
            var shares = ParameterImportance.Of(other, Unit, values, seed);
            Assert.True(shares[0] > shares[1] && shares[1] > shares[2], $"draw {seed}: a {shares[0]:0.000}, b {shares[1]:0.000}, c {shares[2]:0.000}");
        }
    }

    [Fact]
    public void A_metric_that_does_not_vary_gives_no_parameter_any_share()
    {
        var (rows, _) = Trials();

        Assert.All(ParameterImportance.Of(rows, Unit, rows.Select(_ => 0.5).ToList()), share => Assert.Equal(0, share));
    }
}
