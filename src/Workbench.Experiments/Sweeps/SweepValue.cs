// How a swept value is written (the value of a trial's `--set`, a stored trial's parameter) and read
// back: YAML on one line, which the spec loader reads as the same value.
using System.Globalization;
using Workbench.Experiments.Specs;

namespace Workbench.Experiments.Sweeps;

public static class SweepValue
{
    /// <summary>The value as `--set` takes it: 0.001, 128, true, adamw, [64, 32].</summary>
    public static string Format(object value) => SpecYaml.Inline(value);

    /// <summary>
    /// A value from its <see cref="Format"/>ted text: long, double, bool, string, or a list of those.
    /// Throws <see cref="FormatException"/> for text that is not one.
    /// </summary>
    public static object Parse(string text)
    {
        var errors = new List<SpecError>();
        var node = YamlTreeReader.Read(text, "value", errors, positions: false);
        if (node is null || errors.Count > 0 || Of(node) is not { } value)
            throw new FormatException($"not a swept value: {text}");
        return value;
    }

    /// <summary>Whether two values are the same value as a spec reads them (a long 2 and a double 2.0 are).</summary>
    public static bool Same(object a, object b) => Format(a) == Format(b);

    /// <summary>A node's value, or null for null and for a mapping (no swept value is one).</summary>
    internal static object? Of(SpecNode node) => node switch
    {
        ScalarNode s => ScalarType.Of(s) switch
        {
            ScalarKind.Null => null,
            ScalarKind.Bool => ScalarType.AsBool(s),
            ScalarKind.Integer when long.TryParse(s.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
            ScalarKind.Integer or ScalarKind.Float => ScalarType.AsDouble(s),
            _ => s.Text,
        },
        SequenceNode list => Items(list),
        _ => null,
    };

    private static List<object>? Items(SequenceNode list)
    {
        var items = new List<object>();
        foreach (var item in list.Items)
        {
            if (Of(item) is not { } value) return null;
            items.Add(value);
        }
        return items;
    }

    /// <summary>A node as YAML on one line, quoted strings kept quoted: how a `set:` entry becomes a `--set` value.</summary>
    internal static string Write(SpecNode node) => node switch
    {
        ScalarNode { Quoted: true } s => SpecDocument.Quote(s.Text),
        ScalarNode s => s.Text,
        SequenceNode list => $"[{string.Join(", ", list.Items.Select(Write))}]",
        MappingNode map => $"{{{string.Join(", ", map.Entries.Select(e => $"{Write(e.Key)}: {Write(e.Value)}"))}}}",
        _ => throw new ArgumentException("unknown node", nameof(node)),
    };
}
