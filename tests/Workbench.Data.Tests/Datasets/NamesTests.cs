// The names corpus: lowercased, trimmed, deduplicated lines from both lists, split reproducibly by seed.
namespace Workbench.Data.Tests;

[Collection(NpmCacheCollection.Name)]
public sealed class NamesTests(NpmCacheFixture fixture)
{
    [Fact]
    public void Names_are_lowercase_trimmed_and_each_appears_once_across_all_splits()
    {
        var names = Datasets.Names(fixture.Cache, 0.1, 0.1, 1337);
        var all = names.Train.Concat(names.Val).Concat(names.Test).ToList();

        // 4,951 female + 3,898 male names, of which 427 are on both lists once lowercased.
        Assert.Equal(8422, all.Count);
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
        Assert.All(all, name => Assert.Equal(name.Trim().ToLowerInvariant(), name));
        Assert.All(all, name => Assert.NotEmpty(name));
        Assert.Contains("emma", all);
        Assert.Contains("aaron", all);
    }

    [Fact]
    public void Split_sizes_follow_the_fractions_and_the_seed_fixes_which_names_go_where()
    {
        var a = Datasets.Names(fixture.Cache, 0.1, 0.1, 1);
        var again = Datasets.Names(fixture.Cache, 0.1, 0.1, 1);
        var other = Datasets.Names(fixture.Cache, 0.1, 0.1, 2);

        Assert.Equal((6738, 842, 842), (a.Train.Count, a.Val.Count, a.Test.Count));
        Assert.Equal(a.Val, again.Val);
        Assert.Equal(a.Train, again.Train);
        Assert.NotEqual(a.Val, other.Val);
        Assert.Equal("8b06207786cee59e60871761d1df198e53c2b87559f921730947c4235b549564", a.ContentHash);
    }
}
