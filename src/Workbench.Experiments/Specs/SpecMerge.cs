// Deep merge of spec trees, used for `extends:` (the base under the including file) and for
// `--set` (the override over the file). Mappings merge key by key; anything else is replaced.
namespace Workbench.Experiments.Specs;

internal static class SpecMerge
{
    /// <summary>A new tree: <paramref name="over"/> on top of <paramref name="under"/>; neither is changed.</summary>
    public static MappingNode Over(MappingNode under, MappingNode over)
    {
        var entries = under.Entries.ToList();
        foreach (var entry in over.Entries)
        {
            var at = entries.FindIndex(e => e.Key.Text == entry.Key.Text);
            if (at < 0)
            {
                entries.Add(entry);
                continue;
            }
            var value = entries[at].Value is MappingNode u && entry.Value is MappingNode o ? Over(u, o) : entry.Value;
            entries[at] = new MappingEntry(entry.Key, value);
        }
        return new MappingNode(over.Mark, entries);
    }

    /// <summary>A tree that holds <paramref name="value"/> at <paramref name="dottedKey"/>, to merge over a spec.</summary>
    public static MappingNode At(SourceMark mark, string dottedKey, SpecNode value)
    {
        var keys = dottedKey.Split('.');
        for (var i = keys.Length - 1; i >= 0; i--)
            value = new MappingNode(mark, [new MappingEntry(new ScalarNode(mark, keys[i], quoted: false), value)]);
        return (MappingNode)value;
    }
}
