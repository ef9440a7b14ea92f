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
    /// Every key of the runs' resolved specs, one row each, compared with the first run's (the
    /// baseline's, when there is one): the HTML report's config table and the Markdown summary's.
    /// </summary>
    public static IReadOnlyList<ConfigRow> Table(IReadOnlyList<ReportRun> runs)
    {
        var configs = runs.Select(run =>
        {
            try
            {
                return Flatten(run.ConfigJson);
            }
            catch (FormatException e)
            {
                throw new FormatException($"run {run.Id} ({run.Name}): {e.Message}", e);
            }
        }).ToList();
        var reference = configs[0];
        var rows = new List<ConfigRow>();
        foreach (var key in configs.SelectMany(c => c.Keys).Distinct())
        {
            reference.TryGetValue(key, out var referenceValue);
            var values = configs.Select(c => c.TryGetValue(key, out var v) ? v : null).ToList();
            // Absent on both sides is no change; absent on one side is.
            var changed = values.Select((v, i) => i > 0 && !(v is null || referenceValue is null ? v == referenceValue : SameValue(v, referenceValue))).ToList();
            rows.Add(new ConfigRow(key, values, changed));
        }
        return rows;
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

/// <summary>
/// One key across runs: its value in each (null where a run lacks it) and whether that value differs
/// from the first run's.
/// </summary>
public sealed record ConfigRow(string Key, IReadOnlyList<ConfigValue?> Values, IReadOnlyList<bool> Changed)
{
    public bool Differs => Changed.Any(c => c);
}
