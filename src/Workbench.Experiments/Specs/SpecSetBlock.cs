// A `set:` block, as a pipeline stage and a sweep write one: `dotted.key: value` overrides, as --set
// takes them, whose values keep their place in the file so the spec's own errors point at them.
namespace Workbench.Experiments.Specs;

/// <summary>One override of a `set:` block: its dotted key, its value as written, and the tree to merge over the spec.</summary>
internal sealed record SetEntry(ScalarNode Key, SpecNode Value, MappingNode Tree);

internal static class SpecSetBlock
{
    /// <summary>
    /// The block under <paramref name="key"/>, in file order. <paramref name="refuse"/> gives the caller's
    /// reason to refuse a key (from its dotted parts), or null to take it; refused keys are reported.
    /// </summary>
    public static List<SetEntry> Read(SpecSection section, string key, Func<string[], string?> refuse, List<SpecError> errors)
    {
        var entries = new List<SetEntry>();
        var set = section.Value(key);
        if (set is null) return entries;
        if (set is not MappingNode map)
        {
            section.TypeError(key, "a mapping of spec keys to values (train.optimizer.lr: 3e-4)", set);
            return entries;
        }
        foreach (var entry in map.Entries)
        {
            var parts = entry.Key.Text.Split('.');
            var refused = parts.Any(p => p.Length == 0 || p.Trim() != p)
                ? "a key must be a dotted path of names, like train.optimizer.lr"
                : refuse(parts);
            if (refused is null) entries.Add(new SetEntry(entry.Key, entry.Value, SpecMerge.At(entry.Key.Mark, entry.Key.Text, entry.Value)));
            else errors.Add(entry.Key.Mark.Error($"{section.PathOf(key)}.{entry.Key.Text}", refused));
        }
        return entries;
    }
}
