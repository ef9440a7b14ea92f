// MNIST as a user would check it: shapes, known labels, pixel range, and a reproducible validation split.
namespace Workbench.Data.Tests;

[Collection(NpmCacheCollection.Name)]
public sealed class MnistTests(NpmCacheFixture fixture)
{
    [Fact]
    public void Mnist_has_the_official_sizes_with_784_float_pixels_in_unit_range()
    {
        var mnist = Datasets.Mnist(fixture.Cache, 0.1, 1337);

        Assert.Equal((54_000, 6_000, 10_000), (mnist.Train.Count, mnist.Val.Count, mnist.Test.Count));
        foreach (var split in new[] { mnist.Train, mnist.Val, mnist.Test })
        {
            Assert.Equal((784, 10), (split.FeatureSize, split.ClassCount));
            Assert.Equal(split.Count * 784, split.Features.Length);
            Assert.Equal(split.Count, split.Labels.Length);
            Assert.All(split.Labels, label => Assert.InRange(label, 0, 9));
        }
        Assert.Equal(0f, mnist.Test.Features.Min());
        Assert.Equal(1f, mnist.Test.Features.Max());
    }

    [Fact]
    public void Mnist_test_set_is_the_official_one_in_its_official_order()
    {
        var mnist = Datasets.Mnist(fixture.Cache, 0.1, 1337);

        Assert.Equal([7L, 2, 1, 0, 4, 1, 4, 9], mnist.Test.Labels[..8]);
    }

    [Fact]
    public void Mnist_without_validation_keeps_the_official_training_set_and_scales_pixels_by_255()
    {
        var mnist = Datasets.Mnist(fixture.Cache, 0.0, 1);

        Assert.Equal(60_000, mnist.Train.Count);
        Assert.Equal(0, mnist.Val.Count);
        Assert.Equal([5L, 0, 4, 1, 9, 2, 1, 3], mnist.Train.Labels[..8]);
        // The first training image's first inked pixels, row 5: bytes 3, 18, 18, 18, 126.
        Assert.Equal([3 / 255f, 18 / 255f, 18 / 255f, 18 / 255f, 126 / 255f], mnist.Train.Features[152..157]);
    }

    [Fact]
    public void Mnist_validation_split_is_a_partition_of_training_fixed_by_the_seed()
    {
        var a = Datasets.Mnist(fixture.Cache, 0.1, 7);
        var again = Datasets.Mnist(fixture.Cache, 0.1, 7);
        var other = Datasets.Mnist(fixture.Cache, 0.1, 8);

        Assert.Equal(a.Val.Labels, again.Val.Labels);
        Assert.Equal(a.Val.Features, again.Val.Features);
        Assert.NotEqual(a.Val.Features, other.Val.Features);
        // Every training image lands in exactly one of train and val: per-digit counts add up to the official ones.
        int[] official = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
        var counts = a.Train.Labels.Concat(a.Val.Labels).CountBy(l => l).OrderBy(p => p.Key).Select(p => p.Value);
        Assert.Equal(official, counts);
        Assert.Equal(a.ContentHash, other.ContentHash);
        Assert.Matches("^[0-9a-f]{64}$", a.ContentHash);
    }

    [Fact]
    public void A_validation_fraction_of_one_or_more_is_rejected()
    {
        var error = Assert.Throws<DataException>(() => Datasets.Mnist(fixture.Cache, 1.0, 1));

        Assert.Contains("val=1", error.Message);
    }
}
