// The keys one resolution of a spec read, each with its type and allowed values as the reader
// checked them. SpecReference resolves a spec per dataset and model kind with a log and writes
// docs/spec-reference.md from the logs, so the reference cannot drift from what validation does.
namespace Workbench.Experiments.Specs;

internal sealed class SpecKeyLog
{
    private readonly List<SpecKey> _keys = [];

    /// <summary>Every key read, in reading order.</summary>
    public IReadOnlyList<SpecKey> Keys => _keys;

    /// <summary>Notes a read of <paramref name="path"/>; a key read twice (a number that also takes a word) joins both readings.</summary>
    public void Read(string path, string type, string? allowed = null, bool required = false)
    {
        var index = _keys.FindIndex(k => k.Path == path);
        if (index < 0)
        {
            _keys.Add(new SpecKey(path, type, allowed, required));
            return;
        }
        var seen = _keys[index];
        _keys[index] = seen with
        {
            Type = seen.Type == type ? type : $"{seen.Type} or {type}",
            Allowed = seen.Allowed is null || allowed is null || seen.Allowed == allowed ? seen.Allowed ?? allowed : $"{seen.Allowed} or {allowed}",
            Required = seen.Required || required,
        };
    }
}

/// <summary>One key as a reader checks it: its dotted path, its type, and the values it accepts (null: any of the type).</summary>
internal sealed record SpecKey(string Path, string Type, string? Allowed, bool Required);
