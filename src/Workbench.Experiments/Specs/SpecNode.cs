// The spec as a tree of plain nodes (scalar, list, mapping) that remember where each came from,
// built by us from the YAML event stream so no object is ever constructed from the document.
namespace Workbench.Experiments.Specs;

/// <summary>Where a node came from. Line 0 means no position (a `--set` override, stored JSON).</summary>
internal sealed record SourceMark(string File, int Line, int Column)
{
    public SpecError Error(string keyPath, string message) => new(File, Line, Column, keyPath, message);
}

internal abstract class SpecNode(SourceMark mark)
{
    public SourceMark Mark { get; } = mark;
}

/// <summary>A scalar as written. Quoted scalars are always strings; plain ones are typed by <see cref="ScalarType"/>.</summary>
internal sealed class ScalarNode(SourceMark mark, string text, bool quoted) : SpecNode(mark)
{
    public string Text { get; } = text;
    public bool Quoted { get; } = quoted;
}

internal sealed class SequenceNode(SourceMark mark, IReadOnlyList<SpecNode> items) : SpecNode(mark)
{
    public IReadOnlyList<SpecNode> Items { get; } = items;
}

internal sealed record MappingEntry(ScalarNode Key, SpecNode Value);

/// <summary>A mapping whose keys are unique (duplicates are reported while reading and the last one kept).</summary>
internal sealed class MappingNode(SourceMark mark, IReadOnlyList<MappingEntry> entries) : SpecNode(mark)
{
    public IReadOnlyList<MappingEntry> Entries { get; } = entries;

    public MappingEntry? Find(string key) => Entries.FirstOrDefault(e => e.Key.Text == key);
}
