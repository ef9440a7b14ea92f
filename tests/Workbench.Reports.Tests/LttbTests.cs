// LTTB downsampling: bounded size, first/last/min/max always kept, shape preserved.
namespace Workbench.Reports.Tests;

public sealed class LttbTests
{
    [Fact]
    public void Downsampling_a_noisy_curve_keeps_first_last_min_and_max_within_the_threshold()
    {
        // Given 100k points with a single spike and a single dip hidden in the middle
        var random = new Random(3);
        var x = Enumerable.Range(0, 100_000).Select(i => (double)i).ToArray();
        var y = x.Select(v => Math.Exp(-v / 20_000) + 0.01 * random.NextDouble()).ToArray();
        y[31_337] = 9.0;
        y[77_777] = -3.0;

        // When it is downsampled to 2000 points
        var (dx, dy) = Lttb.Downsample(x, y, 2000);

        // Then there are at most 2000, in order, and the ends and extremes survive
        Assert.True(dx.Length <= 2000, $"{dx.Length} points");
        Assert.True(dx.Length >= 1990, $"{dx.Length} points");
        Assert.Equal(0, dx[0]);
        Assert.Equal(99_999, dx[^1]);
        Assert.Contains(31_337.0, dx);
        Assert.Contains(77_777.0, dx);
        Assert.Equal(9.0, dy.Max());
        Assert.Equal(-3.0, dy.Min());
        Assert.True(dx.Zip(dx.Skip(1)).All(p => p.First < p.Second));
    }

    [Fact]
    public void A_series_within_the_threshold_is_returned_whole()
    {
        double[] x = [1, 2, 3];
        double[] y = [5, 4, 6];
        var (dx, dy) = Lttb.Downsample(x, y, 10);
        Assert.Equal(x, dx);
        Assert.Equal(y, dy);
    }

    [Fact]
    public void Extremes_at_the_ends_do_not_cost_points()
    {
        // Given a monotone series: its min and max are its first and last points
        var x = Enumerable.Range(0, 1000).Select(i => (double)i).ToArray();
        var (dx, _) = Lttb.Downsample(x, x, 100);
        Assert.Equal(100, dx.Length);
    }

    [Fact]
    public void Downsampling_keeps_a_step_change_where_it_happens()
    {
        // Given a curve that jumps at x = 500 (say, a learning-rate drop)
        var x = Enumerable.Range(0, 1000).Select(i => (double)i).ToArray();
        var y = x.Select(v => v < 500 ? 1.0 : 0.0).ToArray();
        var (dx, dy) = Lttb.Downsample(x, y, 50);

        // Then the jump stays within one bucket (about 21 points) of where it was
        var lastHigh = dx.Where((_, i) => dy[i] == 1.0).Max();
        var firstLow = dx.Where((_, i) => dy[i] == 0.0).Min();
        Assert.InRange(lastHigh, 479, 499);
        Assert.InRange(firstLow, 500, 521);
    }

    [Fact]
    public void A_threshold_too_small_for_the_kept_points_is_an_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Lttb.Downsample(new double[10], new double[10], 3));
    }
}
