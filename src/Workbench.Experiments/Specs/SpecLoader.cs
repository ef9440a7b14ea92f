// Entry point: loads a spec file (with its `extends:` chain and `--set` overrides) or a stored
// canonical JSON spec, validates it, and returns the resolved ExperimentSpec.
using System.Text.Json;

namespace Workbench.Experiments.Specs;

public static class SpecLoader
{
    private const string StoredSpec = "stored spec";

    /// <summary>Loads and resolves a spec. Throws <see cref="SpecException"/> listing every problem.</summary>
    public static ExperimentSpec Load(string path, IReadOnlyList<string>? overrides = null)
    {
        var errors = new List<SpecError>();
        var tree = SpecFiles.Read(path, errors);
        foreach (var assignment in overrides ?? [])
        {
            var over = SpecOverride.Parse(assignment, errors);
            if (tree is not null && over is not null) tree = SpecMerge.Over(tree, over);
        }
        return Resolve(tree, errors);
    }

    /// <summary>Reads a spec stored as canonical JSON (<see cref="SpecJson.Canonical"/>) through the same validation.</summary>
    public static ExperimentSpec FromJson(string canonicalJson)
    {
        var errors = new List<SpecError>();
        MappingNode? tree = null;
        try
        {
            using var json = JsonDocument.Parse(canonicalJson);
            if (ToNode(json.RootElement, errors) is MappingNode root) tree = root;
            else errors.Add(new SpecError(StoredSpec, 0, 0, "", "expected a JSON object"));
        }
        catch (JsonException e)
        {
            errors.Add(new SpecError(StoredSpec, 0, 0, "", $"not valid JSON: {e.Message}"));
        }
        return Resolve(tree, errors);
    }

    private static ExperimentSpec Resolve(MappingNode? tree, List<SpecError> errors)
    {
        var spec = tree is null ? null : SpecResolver.Resolve(tree, errors);
        if (errors.Count > 0 || spec is null)
            throw new SpecException(errors.OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column).ToList());
        return spec;
    }

    // JSON strings become quoted scalars (always strings); numbers, booleans and null plain ones.
    private static SpecNode ToNode(JsonElement element, List<SpecError> errors)
    {
        var mark = new SourceMark(StoredSpec, 0, 0);
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var entries = new List<MappingEntry>();
                foreach (var property in element.EnumerateObject())
                {
                    if (entries.Any(e => e.Key.Text == property.Name))
                        errors.Add(mark.Error(property.Name, $"duplicate key `{property.Name}`"));
                    entries.Add(new MappingEntry(new ScalarNode(mark, property.Name, quoted: false), ToNode(property.Value, errors)));
                }
                return new MappingNode(mark, entries);
            case JsonValueKind.Array:
                return new SequenceNode(mark, element.EnumerateArray().Select(e => ToNode(e, errors)).ToList());
            case JsonValueKind.String:
                return new ScalarNode(mark, element.GetString()!, quoted: true);
            default:
                return new ScalarNode(mark, element.GetRawText(), quoted: false);
        }
    }
}
