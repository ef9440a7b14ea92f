// The State of the Union corpus: chronological order, blank-line separators and nanoGPT's contiguous tail split.
namespace Workbench.Data.Tests;

[Collection(NpmCacheCollection.Name)]
public sealed class SotuTests(NpmCacheFixture fixture)
{
    [Fact]
    public void The_corpus_starts_with_Washingtons_1790_address_and_ends_with_the_2021_one()
    {
        var sotu = Datasets.Sotu(fixture.Cache, 0.1, 0.05);

        Assert.StartsWith("Fellow-Citizens of the Senate and House of Representatives: In meeting you again", sotu.Train);
        // 1791's address follows 1790's after one blank line.
        Assert.Contains("of their attachment and confidence.\n\nFellow-Citizens of the Senate and House of Representatives: \"In vain", sotu.Train);
        Assert.EndsWith("Thank you for your patience. (Applause.)", sotu.Test);
        // The same digest as `cat $(LC_ALL=C ls data/*.txt) | sha256sum` in the package.
        Assert.Equal("805ccd2b2645318eb01caa3d4a0d374bee2544c1d5e48d2c66f8feaf7ae25790", sotu.ContentHash);
    }

    [Fact]
    public void Validation_and_test_are_contiguous_pieces_at_the_end_sized_by_the_fractions()
    {
        var sotu = Datasets.Sotu(fixture.Cache, 0.1, 0.05);
        var whole = Datasets.Sotu(fixture.Cache, 0, 0).Train;

        Assert.Equal(10_760_251, whole.Length);
        Assert.Equal(1_076_025, sotu.Val.Length);
        Assert.Equal(538_013, sotu.Test.Length);
        Assert.Equal(whole, sotu.Train + sotu.Val + sotu.Test);
    }
}
