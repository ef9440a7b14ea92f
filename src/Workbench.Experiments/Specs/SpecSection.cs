// Reads one mapping of the spec tree into typed values. Every problem (wrong type, out of range,
// unknown key or value) is recorded with its place and key path, and a default stands in so that
// reading goes on and all problems are reported at once. Given a SpecKeyLog, it also notes each
// key it reads with its type and allowed values: the spec reference is written from those notes.
using System.Globalization;

namespace Workbench.Experiments.Specs;

internal sealed class SpecSection
{
    private readonly MappingNode? _map;
    private readonly SourceMark _mark;
    private readonly List<SpecError> _errors;
    private readonly SpecKeyLog? _log;

    private SpecSection(MappingNode? map, SourceMark mark, string path, List<SpecError> errors, SpecKeyLog? log)
    {
        _map = map;
        _mark = mark;
        Path = path;
        _errors = errors;
        _log = log;
    }

    public string Path { get; }

    public static SpecSection Root(MappingNode root, List<SpecError> errors, SpecKeyLog? log = null) => new(root, root.Mark, "", errors, log);

    public string PathOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>Whether the key is given a non-null value.</summary>
    public bool Has(string key) => Value(key) is not null;

    /// <summary>Where to point for a key: its value, else its key, else this mapping.</summary>
    public SourceMark MarkOf(string key)
    {
        var entry = _map?.Find(key);
        return entry is null ? _mark : ScalarType.IsNull(entry.Value) ? entry.Key.Mark : entry.Value.Mark;
    }

    /// <summary>Reports a problem with a key, pointing at it, or at <paramref name="pointAt"/> when the key is not written.</summary>
    public void Error(string key, string message, string? pointAt = null) =>
        _errors.Add(MarkOf(pointAt ?? key).Error(PathOf(key), message));

    /// <summary>Whether an error was already reported for the key, so checks built on its value can stand down.</summary>
    public bool Rejected(string key) => _errors.Any(e => e.KeyPath == PathOf(key));

    /// <summary>
    /// Reports keys outside <paramref name="allowed"/>. <paramref name="explain"/> may give the reason
    /// a key is refused here (a model key of another kind); otherwise the message suggests a near name.
    /// </summary>
    public void CheckKeys(IReadOnlyCollection<string> allowed, Func<string, string?>? explain = null)
    {
        if (_map is null) return;
        foreach (var entry in _map.Entries)
        {
            var key = entry.Key.Text;
            if (allowed.Contains(key)) continue;
            var message = explain?.Invoke(key) ?? (DidYouMean.Suggest(key, allowed) is { } near
                ? $"unknown key `{key}`; did you mean `{near}`?"
                : $"unknown key `{key}` (expected one of: {string.Join(", ", allowed)})");
            _errors.Add(entry.Key.Mark.Error(PathOf(key), message));
        }
    }

    /// <summary>A nested mapping; absent or null reads as empty. With <paramref name="keys"/> its keys are checked.</summary>
    public SpecSection Section(string key, params string[]? keys)
    {
        var node = Value(key);
        var section = new SpecSection(node as MappingNode, MarkOf(key), PathOf(key), _errors, _log);
        if (node is not null and not MappingNode)
            TypeError(key, "a mapping", node);
        if (keys is { Length: > 0 }) section.CheckKeys(keys);
        return section;
    }

    /// <summary>
    /// The same place read as empty, with problems and key notes dropped: every key reads as its default.
    /// What stands in for a section whose shape is unknown (a model of a kind that was refused).
    /// </summary>
    public SpecSection Detached() => new(null, _mark, Path, [], null);

    public string Text(string key, string fallback)
    {
        _log?.Read(PathOf(key), "string");
        return ReadText(key) ?? fallback;
    }

    public string? OptionalText(string key)
    {
        _log?.Read(PathOf(key), "string");
        return ReadText(key);
    }

    private string? ReadText(string key)
    {
        var node = Value(key);
        if (node is null) return null;
        if (node is ScalarNode s && ScalarType.Of(s) == ScalarKind.String) return s.Text;
        TypeError(key, "a string", node);
        return null;
    }

    /// <summary>A string that must be non-empty; reports <paramref name="whenMissing"/> when absent.</summary>
    public string RequiredText(string key, string whenMissing, string? allowed = null)
    {
        _log?.Read(PathOf(key), "string", allowed, required: true);
        if (!Has(key))
        {
            Error(key, whenMissing);
            return "";
        }
        var text = ReadText(key);
        if (text is not null && string.IsNullOrWhiteSpace(text)) Error(key, "must not be empty");
        return text ?? "";
    }

    /// <summary>One of <paramref name="allowed"/> (or a value <paramref name="alsoAccept"/> takes).</summary>
    public string Choice(string key, string fallback, IReadOnlyList<string> allowed, string what,
                         Func<string, bool>? alsoAccept = null, string? expected = null)
    {
        _log?.Read(PathOf(key), "string", allowed: expected ?? string.Join(", ", allowed));
        var value = ReadText(key);
        if (value is null) return fallback;
        if (allowed.Contains(value) || alsoAccept?.Invoke(value) == true) return value;
        Error(key, $"unknown {what} `{value}`{DidYouMean.Hint(value, allowed)} (expected {expected ?? string.Join(", ", allowed)})");
        return fallback;
    }

    /// <summary>Whether the key holds the word <paramref name="word"/>, which some number keys also take (split.test: official).</summary>
    public bool IsWord(string key, string word)
    {
        _log?.Read(PathOf(key), "string", allowed: $"`{word}`");
        return Value(key) is ScalarNode { Text: var text } && text == word;
    }

    public bool Bool(string key, bool fallback)
    {
        _log?.Read(PathOf(key), "bool");
        var node = Value(key);
        if (node is null) return fallback;
        if (node is ScalarNode s && ScalarType.Of(s) == ScalarKind.Bool) return ScalarType.AsBool(s);
        TypeError(key, "true or false", node);
        return fallback;
    }

    public int Int(string key, int fallback, Bound bound) => OptionalInt(key, bound) ?? fallback;

    public int? OptionalInt(string key, Bound bound)
    {
        _log?.Read(PathOf(key), "integer", allowed: bound.Rule);
        var node = Value(key);
        return node is null ? null : ReadInt(node, PathOf(key), bound);
    }

    public long Long(string key, long fallback, Bound bound)
    {
        _log?.Read(PathOf(key), "integer", allowed: bound.Rule);
        var node = Value(key);
        if (node is null) return fallback;
        if (node is not ScalarNode s || ScalarType.Of(s) != ScalarKind.Integer)
        {
            TypeError(key, "an integer", node);
            return fallback;
        }
        if (!long.TryParse(s.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || !bound.Accepts(value))
        {
            RangeError(node, PathOf(key), bound, s.Text);
            return fallback;
        }
        return value;
    }

    public double Number(string key, double fallback, Bound bound) => OptionalNumber(key, bound) ?? fallback;

    public double? OptionalNumber(string key, Bound bound)
    {
        _log?.Read(PathOf(key), "number", allowed: bound.Rule);
        var node = Value(key);
        return node is null ? null : ReadNumber(node, PathOf(key), bound);
    }

    /// <summary>A list of integers, each within <paramref name="bound"/>; an empty list is refused.</summary>
    public ValueList<int> IntList(string key, ValueList<int> fallback, Bound bound)
    {
        _log?.Read(PathOf(key), "list of integers", allowed: $"each {bound.Rule}");
        var node = Value(key);
        if (node is null) return fallback;
        if (node is not SequenceNode list)
        {
            TypeError(key, "a list of integers", node);
            return fallback;
        }
        if (list.Items.Count == 0)
        {
            Error(key, "must list at least one value");
            return fallback;
        }
        var values = list.Items.Select((item, i) => ReadInt(item, $"{PathOf(key)}[{i}]", bound)).ToList();
        return values.Any(v => v is null) ? fallback : new ValueList<int>(values.Select(v => v!.Value));
    }

    public ValueList<double> NumberList(string key, ValueList<double> fallback, Bound bound)
    {
        _log?.Read(PathOf(key), $"list of {fallback.Count} numbers", allowed: $"each {bound.Rule}");
        var node = Value(key);
        if (node is null) return fallback;
        if (node is not SequenceNode list || list.Items.Count != fallback.Count)
        {
            TypeError(key, $"a list of {fallback.Count} numbers", node);
            return fallback;
        }
        var values = list.Items.Select((item, i) => ReadNumber(item, $"{PathOf(key)}[{i}]", bound)).ToList();
        return values.Any(v => v is null) ? fallback : new ValueList<double>(values.Select(v => v!.Value));
    }

    public ValueList<string> TextList(string key)
    {
        _log?.Read(PathOf(key), "list of strings");
        var node = Value(key);
        if (node is null) return ValueList<string>.Empty;
        if (node is not SequenceNode list)
        {
            TypeError(key, "a list of strings", node);
            return ValueList<string>.Empty;
        }
        var values = new List<string>();
        for (var i = 0; i < list.Items.Count; i++)
        {
            if (list.Items[i] is ScalarNode s && ScalarType.Of(s) == ScalarKind.String && s.Text.Length > 0)
                values.Add(s.Text);
            else
                _errors.Add(list.Items[i].Mark.Error($"{PathOf(key)}[{i}]", $"expected a non-empty string, got {ScalarType.Describe(list.Items[i])}"));
        }
        return new ValueList<string>(values);
    }

    /// <summary>The key's value node, or null when it is absent or written as null.</summary>
    public SpecNode? Value(string key)
    {
        var node = _map?.Find(key)?.Value;
        return node is null || ScalarType.IsNull(node) ? null : node;
    }

    public void TypeError(string key, string expected, SpecNode got) =>
        _errors.Add(got.Mark.Error(PathOf(key), $"expected {expected}, got {ScalarType.Describe(got)}"));

    private int? ReadInt(SpecNode node, string path, Bound bound)
    {
        if (node is not ScalarNode s || ScalarType.Of(s) != ScalarKind.Integer)
        {
            _errors.Add(node.Mark.Error(path, $"expected an integer, got {ScalarType.Describe(node)}"));
            return null;
        }
        if (!int.TryParse(s.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            // The text is an integer (ScalarType said so), only too large for the 32 bits this key holds.
            _errors.Add(node.Mark.Error(path, $"must be {bound.Rule} and at most {int.MaxValue}, got {s.Text}"));
            return null;
        }
        if (!bound.Accepts(value))
        {
            RangeError(node, path, bound, s.Text);
            return null;
        }
        return value;
    }

    private double? ReadNumber(SpecNode node, string path, Bound bound)
    {
        if (node is not ScalarNode s || ScalarType.Of(s) is not (ScalarKind.Integer or ScalarKind.Float))
        {
            _errors.Add(node.Mark.Error(path, $"expected a number, got {ScalarType.Describe(node)}"));
            return null;
        }
        var value = ScalarType.AsDouble(s);
        if (!bound.Accepts(value))
        {
            RangeError(node, path, bound, s.Text);
            return null;
        }
        return value;
    }

    private void RangeError(SpecNode node, string path, Bound bound, string text) =>
        _errors.Add(node.Mark.Error(path, $"must be {bound.Rule}, got {text}"));
}
