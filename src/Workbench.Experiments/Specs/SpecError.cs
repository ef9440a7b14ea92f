// One problem found in a spec: where it is (file, line, column, key path) and what is wrong.
namespace Workbench.Experiments.Specs;

/// <summary>
/// A spec problem. <see cref="Line"/> is 0 where there is no line to point at: a `--set` override
/// (then <see cref="File"/> is "--set a.b"), a stored JSON spec, or a file that could not be read.
/// </summary>
public sealed record SpecError(string File, int Line, int Column, string KeyPath, string Message)
{
    public override string ToString()
    {
        var where = Line > 0 ? $"{File}:{Line}:{Column}" : File;
        return KeyPath.Length > 0 ? $"{where}: {KeyPath}: {Message}" : $"{where}: {Message}";
    }
}
