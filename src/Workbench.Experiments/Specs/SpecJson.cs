// The resolved spec as canonical JSON (keys sorted, no whitespace, numbers in shortest round-trip
// form) and the two hashes runs are keyed by: config_hash and group_hash.
using System.Security.Cryptography;
using System.Text;

namespace Workbench.Experiments.Specs;

public static class SpecJson
{
    /// <summary>Keys that do not change what is trained: left out of both hashes.</summary>
    private static readonly string[] Labels = ["name", "tags", "notes", "baseline"];

    public static string Canonical(ExperimentSpec spec) => Write(SpecDocument.Of(spec), []);

    /// <summary>Lowercase hex SHA-256 of the canonical JSON without name, tags, notes and baseline.</summary>
    public static string ConfigHash(ExperimentSpec spec) => Hash(Write(SpecDocument.Of(spec), Labels));

    /// <summary>
    /// As <see cref="ConfigHash"/>, also without the seed: runs that differ only by seed share it. A run
    /// started from another (train.init_from) names it by <paramref name="initFromGroup"/>, that run's own
    /// group hash, rather than by id: the second stages of a pipeline's seeds start from different runs,
    /// which differ only by seed, so the second stages group too.
    /// </summary>
    public static string GroupHash(ExperimentSpec spec, string? initFromGroup = null)
    {
        if (initFromGroup is not null) spec = spec with { Train = spec.Train with { InitFrom = "group:" + initFromGroup } };
        return Hash(Write(SpecDocument.Of(spec), [.. Labels, "seed"]));
    }

    private static string Hash(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    private static string Write(Mapping document, IReadOnlyCollection<string> leaveOut)
    {
        var kept = new Mapping();
        kept.AddRange(document.Where(kv => !leaveOut.Contains(kv.Key)));
        var sb = new StringBuilder();
        WriteMapping(sb, kept);
        return sb.ToString();
    }

    private static void WriteValue(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case string s: sb.Append(SpecDocument.Quote(s)); break;
            case Mapping m: WriteMapping(sb, m); break;
            case List<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    WriteValue(sb, list[i]);
                }
                sb.Append(']');
                break;
            default: sb.Append(SpecDocument.Number(value)); break;
        }
    }

    private static void WriteMapping(StringBuilder sb, Mapping map)
    {
        sb.Append('{');
        var first = true;
        foreach (var (key, value) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!first) sb.Append(',');
            first = false;
            sb.Append(SpecDocument.Quote(key)).Append(':');
            WriteValue(sb, value);
        }
        sb.Append('}');
    }
}
