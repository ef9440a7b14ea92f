// English first names (female and male lists together) as a line corpus for character-level language models.
using System.Security.Cryptography;
using System.Text;

namespace Workbench.Data;

public static partial class Datasets
{
    /// <summary>
    /// Both pinned name lists, each name trimmed and lowercased (invariant culture), empty lines dropped,
    /// duplicates removed (a name on both lists counts once) and sorted ordinally; then a SplitMix64 shuffle
    /// seeded with <paramref name="seed"/> and a cut into train, val and test by the fractions. Lines keep
    /// the shuffled order. ContentHash: SHA-256 of the female list's bytes then the male list's.
    /// </summary>
    public static LineCorpus Names(DataCache cache, double val, double test, int seed)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var package in new[] { PinnedPackages.FemaleNames, PinnedPackages.MaleNames })
        {
            var bytes = File.ReadAllBytes(Path.Combine(cache.Fetch(package), PinnedPackages.NamesFile));
            hash.AppendData(bytes);
            foreach (var line in Encoding.UTF8.GetString(bytes).Split('\n'))
                if (line.Trim() is { Length: > 0 } name) names.Add(name.ToLowerInvariant());
        }

        var lines = names.ToArray();
        var sizes = SplitSizes.Of(lines.Length, val, test, "names");
        new SplitMix64(seed).Shuffle(lines);
        return new LineCorpus(
            lines[..sizes.Train],
            lines[sizes.Train..(sizes.Train + sizes.Val)],
            lines[(sizes.Train + sizes.Val)..],
            Sha256.Finish(hash));
    }
}
