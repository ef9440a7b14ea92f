// One `--set a.b=value` override: the value is read as YAML (a scalar or a flow collection, so
// `model.hidden=[64,32]` and `train.optimizer.lr=3e-4` work) and becomes a tree to merge over the
// spec. Its nodes are marked "--set a.b", so errors in it point at the override.
namespace Workbench.Experiments.Specs;

internal static class SpecOverride
{
    /// <summary>The override as a tree rooted at the spec's top, or null when it is malformed (the error is added).</summary>
    public static MappingNode? Parse(string assignment, List<SpecError> errors)
    {
        var equals = assignment.IndexOf('=');
        var path = equals < 0 ? assignment : assignment[..equals];
        var mark = new SourceMark($"--set {path}", 0, 0);
        if (equals < 0)
        {
            errors.Add(mark.Error("", "expected KEY=VALUE, like --set train.optimizer.lr=3e-4"));
            return null;
        }
        var keys = path.Split('.');
        if (keys.Any(k => k.Length == 0 || k.Trim() != k))
        {
            errors.Add(mark.Error("", "the key must be a dotted path of names, like train.optimizer.lr"));
            return null;
        }
        if (keys[0] == "extends")
        {
            errors.Add(mark.Error("extends", "extends cannot be set from the command line; write it in the spec file"));
            return null;
        }

        var value = YamlTreeReader.Read(assignment[(equals + 1)..], mark.File, errors, positions: false, rootPath: path);
        if (value is null) return null;
        return SpecMerge.At(mark, path, value);
    }
}
