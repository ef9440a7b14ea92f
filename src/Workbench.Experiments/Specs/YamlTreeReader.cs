// Reads YAML text into our own node tree from the parser's event stream. It is the safety gate:
// explicit tags are rejected, aliases are expanded by reference under a bound on the total number
// of nodes (so a "billion laughs" document fails at once), nesting depth is bounded, and duplicate
// keys are reported.
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Workbench.Experiments.Specs;

internal sealed class YamlTreeReader
{
    /// <summary>At most this many nodes once every alias is expanded; a real spec has a few hundred.</summary>
    public const int MaxExpandedNodes = 100_000;

    private const int MaxDepth = 64;

    private readonly IParser _parser;
    private readonly string _file;
    private readonly List<SpecError> _errors;
    private readonly Dictionary<string, (SpecNode Node, long Size)> _anchors = [];
    private readonly Func<Mark, SourceMark> _markOf;
    private long _expanded;

    private YamlTreeReader(string text, string file, List<SpecError> errors, bool positions)
    {
        _parser = new Parser(new StringReader(text));
        _file = file;
        _errors = errors;
        _markOf = positions ? m => new SourceMark(file, (int)m.Line, (int)m.Column) : _ => new SourceMark(file, 0, 0);
    }

    /// <summary>
    /// The document's root node, or null when the text cannot be read as YAML (the error is added).
    /// An empty document comes back as a null scalar. With <paramref name="positions"/> false every
    /// node is marked with <paramref name="file"/> alone (used for `--set` values, whose key path
    /// is <paramref name="rootPath"/>).
    /// </summary>
    public static SpecNode? Read(string text, string file, List<SpecError> errors, bool positions = true, string rootPath = "")
    {
        var reader = new YamlTreeReader(text, file, errors, positions);
        try
        {
            return reader.ReadStream(rootPath);
        }
        catch (YamlException e)
        {
            errors.Add(reader._markOf(e.Start).Error("", WithoutPosition(e.Message)));
            return null;
        }
        catch (TreeTooLargeException e)
        {
            errors.Add(e.Mark.Error("", e.Message));
            return null;
        }
    }

    private SpecNode ReadStream(string rootPath)
    {
        _parser.Consume<StreamStart>();
        if (_parser.TryConsume<StreamEnd>(out var end))
            return new ScalarNode(_markOf(end.Start), "", quoted: false);
        _parser.Consume<DocumentStart>();
        var root = ReadNode(depth: 0, rootPath, out _);
        _parser.Consume<DocumentEnd>();
        if (_parser.Accept<DocumentStart>(out var second))
            _errors.Add(_markOf(second.Start).Error("", "a spec file holds one YAML document; remove the second `---` and what follows"));
        return root;
    }

    private SpecNode ReadNode(int depth, string path, out long size)
    {
        var start = _parser.Current ?? throw new YamlException("unexpected end of the document");
        var mark = _markOf(start.Start);
        if (depth > MaxDepth)
            throw new TreeTooLargeException(mark, $"nested more than {MaxDepth} levels deep; a spec is a few levels deep");

        if (start is AnchorAlias alias)
        {
            _parser.MoveNext();
            if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
                throw new YamlException(start.Start, start.End, $"alias *{alias.Value.Value} refers to no anchor defined before it");
            size = anchored.Size;
            Count(size, mark);
            return anchored.Node;
        }

        var nodeEvent = (NodeEvent)start;
        if (!nodeEvent.Tag.IsEmpty)
            _errors.Add(mark.Error(path, $"explicit YAML tags are not allowed in a spec (found `{AsWritten(nodeEvent.Tag.Value)}`); write the plain value"));
        Count(1, mark);

        SpecNode node;
        switch (start)
        {
            case Scalar scalar:
                _parser.MoveNext();
                node = new ScalarNode(mark, scalar.Value, quoted: scalar.Style is not ScalarStyle.Plain);
                size = 1;
                break;
            case SequenceStart:
                _parser.MoveNext();
                var items = new List<SpecNode>();
                size = 1;
                while (!_parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(depth + 1, $"{path}[{items.Count}]", out var itemSize));
                    size += itemSize;
                }
                node = new SequenceNode(mark, items);
                break;
            case MappingStart:
                _parser.MoveNext();
                node = ReadMapping(mark, depth, path, out size);
                break;
            default:
                throw new YamlException(start.Start, start.End, $"unexpected {start.GetType().Name}");
        }

        if (!nodeEvent.Anchor.IsEmpty)
            _anchors[nodeEvent.Anchor.Value] = (node, size);
        return node;
    }

    private MappingNode ReadMapping(SourceMark mark, int depth, string path, out long size)
    {
        var entries = new List<MappingEntry>();
        var index = new Dictionary<string, int>(); // key -> position in entries, so duplicates cost O(1)
        size = 1;
        while (!_parser.TryConsume<MappingEnd>(out _))
        {
            var key = ReadNode(depth + 1, path, out var keySize);
            var keyPath = key is ScalarNode named ? (path.Length == 0 ? named.Text : $"{path}.{named.Text}") : path;
            var value = ReadNode(depth + 1, keyPath, out var valueSize);
            size += keySize + valueSize;
            if (key is not ScalarNode scalarKey || ScalarType.IsNull(key))
            {
                _errors.Add(key.Mark.Error(path, "mapping keys must be plain names, not lists, mappings or null"));
                continue;
            }
            if (index.TryGetValue(scalarKey.Text, out var first))
            {
                var at = entries[first].Key.Mark;
                var firstAt = at.Line > 0 ? $" (first at line {at.Line}, column {at.Column})" : "";
                _errors.Add(scalarKey.Mark.Error(keyPath, $"duplicate key `{scalarKey.Text}`{firstAt}; keep one"));
                entries[first] = new MappingEntry(scalarKey, value);
                continue;
            }
            index[scalarKey.Text] = entries.Count;
            entries.Add(new MappingEntry(scalarKey, value));
        }
        return new MappingNode(mark, entries);
    }

    private void Count(long nodes, SourceMark mark)
    {
        _expanded += nodes;
        if (_expanded > MaxExpandedNodes)
            throw new TreeTooLargeException(mark,
                $"the document expands to more than {MaxExpandedNodes} nodes through its aliases (an alias bomb?); a spec needs a few hundred");
    }

    // The parser expands `!!x` to `tag:yaml.org,2002:x`; show it as the user wrote it.
    private static string AsWritten(string tag) =>
        tag.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal) ? "!!" + tag["tag:yaml.org,2002:".Length..] : tag;

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; we report the position ourselves.
    private static string WithoutPosition(string message)
    {
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && cut >= 0 ? message[(cut + 3)..] : message;
    }

    private sealed class TreeTooLargeException(SourceMark mark, string message) : Exception(message)
    {
        public SourceMark Mark { get; } = mark;
    }
}
