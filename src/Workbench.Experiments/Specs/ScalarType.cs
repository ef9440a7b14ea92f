// How a plain scalar is typed: the YAML 1.2 core schema (null, bool, int, float), else a string.
using System.Globalization;
using System.Text.RegularExpressions;

namespace Workbench.Experiments.Specs;

internal enum ScalarKind { Null, Bool, Integer, Float, String }

internal static partial class ScalarType
{
    public static ScalarKind Of(ScalarNode node)
    {
        if (node.Quoted) return ScalarKind.String;
        var t = node.Text;
        if (t is "" or "~" or "null" or "Null" or "NULL") return ScalarKind.Null;
        if (t is "true" or "True" or "TRUE" or "false" or "False" or "FALSE") return ScalarKind.Bool;
        if (IntegerPattern().IsMatch(t)) return ScalarKind.Integer;
        if (FloatPattern().IsMatch(t) || SpecialFloatPattern().IsMatch(t)) return ScalarKind.Float;
        return ScalarKind.String;
    }

    public static bool IsNull(SpecNode node) => node is ScalarNode s && Of(s) == ScalarKind.Null;

    public static bool AsBool(ScalarNode node) => node.Text[0] is 't' or 'T';

    /// <summary>The value of an Integer or Float scalar; .inf and .nan come back as such (range checks reject them).</summary>
    public static double AsDouble(ScalarNode node)
    {
        var t = node.Text.TrimStart('+');
        if (SpecialFloatPattern().IsMatch(node.Text))
        {
            if (t.Contains("nan", StringComparison.OrdinalIgnoreCase)) return double.NaN;
            return t.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
        }
        return double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>How a node reads in an error message: `the string "abc"`, `a list`.</summary>
    public static string Describe(SpecNode node) => node switch
    {
        MappingNode => "a mapping",
        SequenceNode => "a list",
        ScalarNode s => Of(s) switch
        {
            ScalarKind.Null => "null",
            ScalarKind.Bool => $"the boolean {s.Text}",
            ScalarKind.Integer => $"the integer {s.Text}",
            ScalarKind.Float => $"the number {s.Text}",
            _ => $"the string \"{s.Text}\"",
        },
        _ => "an unknown node",
    };

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex SpecialFloatPattern();
}
