// The resolved spec as YAML (runs/<id>/config.yaml): every key, in SpecDocument's fixed order.
// SpecLoader reads it back into the same spec.
using System.Text;
using System.Text.RegularExpressions;

namespace Workbench.Experiments.Specs;

public static partial class SpecYaml
{
    public static string Write(ExperimentSpec spec)
    {
        var sb = new StringBuilder("# Resolved experiment spec: every default filled in.\n");
        WriteMapping(sb, SpecDocument.Of(spec), indent: 0);
        return sb.ToString();
    }

    private static void WriteMapping(StringBuilder sb, Mapping map, int indent)
    {
        foreach (var (key, value) in map)
        {
            sb.Append(' ', indent).Append(key).Append(':');
            if (value is Mapping nested)
            {
                sb.Append('\n');
                WriteMapping(sb, nested, indent + 2);
            }
            else
            {
                sb.Append(' ').Append(Inline(value)).Append('\n');
            }
        }
    }

    /// <summary>A value as YAML on one line (a list in flow style), which SpecLoader and `--set` read back as the same value.</summary>
    internal static string Inline(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => PlainSafe().IsMatch(s) && !Reserved().IsMatch(s) ? s : SpecDocument.Quote(s),
        IEnumerable<object?> list => $"[{string.Join(", ", list.Select(Inline))}]",
        _ => SpecDocument.Number(value),
    };

    // Strings that every YAML reader takes as the same string when written plain.
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_./-]*(:[0-9]+)?$")]
    private static partial Regex PlainSafe();

    // Words some YAML readers (1.1) take as null or booleans.
    [GeneratedRegex(@"^(null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N)$")]
    private static partial Regex Reserved();
}
