// Which resolved-spec keys differ between two runs, by dotted key path.
using System.Text.Json;

namespace Workbench.Reports;

/// <summary>
/// One key whose value differs. Values are shown as a researcher writes them (strings without
/// quotes, numbers, booleans, null, `[]`); null means the key is absent on that side.
/// </summary>
public sealed record ConfigDifference(string Key, string? Baseline, string? Other);

/// <summary>Flattens resolved specs (JSON) to dotted key paths and compares them.</summary>
public static class ConfigDiff
{
    /// <summary>The keys whose values differ, in the order they first appear in the baseline, then in the other.</summary>
    public static IReadOnlyList<ConfigDifference> Diff(string baselineJson, string otherJson)
    {
        var baseline = Flatten(baselineJson);
        var other = Flatten(otherJson);
        var differences = new List<ConfigDifference>();
        foreach (var (key, value) in baseline)
        {
            if (!other.TryGetValue(key, out var otherValue) || !SameValue(value, otherValue))
            {
                differences.Add(new ConfigDifference(key, value.Text, otherValue?.Text));
            }
        }
        foreach (var (key, value) in other)
        {
            if (!baseline.ContainsKey(key))
            {
                differences.Add(new ConfigDifference(key, null, value.Text));
            }
        }
        return differences;
    }

    /// <summary>
    /// Every leaf of a JSON document by dotted path: `train.optimizer.lr`, `model.hidden[0]`.
    /// Empty objects and arrays are leaves (`{}`, `[]`).
    /// </summary>
    public static IReadOnlyDictionary<string, ConfigValue> Flatten(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"the run's config is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            // Dictionary keeps insertion order while nothing is removed, which is the spec's order.
            var leaves = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
            Walk(document.RootElement, "", leaves);
            return leaves;
        }
    }

    /// <summary>True when two leaves hold the same value; numbers compare by value, so 0.001 equals 1.0e-3.</summary>
    public static bool SameValue(ConfigValue a, ConfigValue b) =>
        a.Number is double x && b.Number is double y ? x.Equals(y) : a.Json == b.Json;

    private static void Walk(JsonElement element, string path, Dictionary<string, ConfigValue> leaves)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object when element.EnumerateObject().Any():
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", leaves);
                }
                break;
            case JsonValueKind.Array when element.GetArrayLength() > 0:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{index++}]", leaves);
                }
                break;
            default:
                leaves[path] = Leaf(element);
                break;
        }
    }

    private static ConfigValue Leaf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => new ConfigValue(element.GetRawText(), element.GetString()!, null),
        JsonValueKind.Number => new ConfigValue(element.GetRawText(), element.GetRawText(), element.GetDouble()),
        JsonValueKind.Object => new ConfigValue("{}", "{}", null),
        JsonValueKind.Array => new ConfigValue("[]", "[]", null),
        _ => new ConfigValue(element.GetRawText(), element.GetRawText(), null),
    };
}

/// <summary>A config leaf: its JSON text, the text a report shows, and its value when it is a number.</summary>
public sealed record ConfigValue(string Json, string Text, double? Number);
