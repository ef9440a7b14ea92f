// The synthetic regression set: reproducible by seed, split by fraction, and its true line recoverable.
namespace Workbench.Data.Tests;

public sealed class LinRegTests
{
    [Fact]
    public void The_same_seed_gives_the_same_points_and_another_seed_does_not()
    {
        var a = Datasets.LinReg(42, 0.1, 0.1);
        var again = Datasets.LinReg(42, 0.1, 0.1);
        var other = Datasets.LinReg(43, 0.1, 0.1);

        Assert.Equal(a.Train.X, again.Train.X);
        Assert.Equal(a.Test.Y, again.Test.Y);
        Assert.Equal(a.ContentHash, again.ContentHash);
        Assert.NotEqual(a.Train.X, other.Train.X);
        Assert.NotEqual(a.ContentHash, other.ContentHash);
    }

    [Fact]
    public void Fractions_set_the_split_sizes_out_of_1000_points()
    {
        var data = Datasets.LinReg(1, 0.1, 0.2);

        Assert.Equal((700, 100, 200), (data.Train.Count, data.Val.Count, data.Test.Count));
        Assert.Equal(700, data.Train.X.Length);
        Assert.Equal(1, data.Train.Features);
        Assert.All(data.Train.X, x => Assert.InRange(x, -1f, 1f));
    }

    [Fact]
    public void Least_squares_on_the_training_split_recovers_the_true_line_within_one_percent()
    {
        var data = Datasets.LinReg(1337, 0.1, 0.1);
        var (x, y) = (data.Train.X.Select(v => (double)v).ToArray(), data.Train.Y.Select(v => (double)v).ToArray());
        double mx = x.Average(), my = y.Average();
        var w = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum() / x.Sum(a => (a - mx) * (a - mx));
        var b = my - w * mx;

        Assert.Equal([2.0f], data.TrueWeights);
        Assert.Equal(-1.0f, data.TrueBias);
        Assert.InRange(w, 2.0 * 0.99, 2.0 * 1.01);
        Assert.InRange(b, -1.01, -0.99);
        // The residual spread is the documented noise, 0.1.
        var residualStd = Math.Sqrt(x.Zip(y, (a, c) => Math.Pow(c - (w * a + b), 2)).Average());
        Assert.InRange(residualStd, 0.09, 0.11);
    }
}
