// Reads a spec file and the chain of files it `extends:` into one merged tree. A base path is
// relative to the file that names it; a missing base file and a cycle are errors.
namespace Workbench.Experiments.Specs;

internal static class SpecFiles
{
    /// <summary>The one key read here rather than by SpecResolver: a base file to merge under this one.</summary>
    public const string ExtendsKey = "extends";

    /// <summary>The merged tree without `extends`, or null when a file could not be read (errors added).</summary>
    public static MappingNode? Read(string path, List<SpecError> errors) => Read(path, errors, []);

    /// <summary>
    /// One YAML file read as a mapping, or null when it cannot be (errors added): the spec files here and a
    /// pipeline or sweep file. <paramref name="what"/> names the kind of file in messages, <paramref name="firstKey"/>
    /// the key an empty file is told to start with.
    /// </summary>
    public static MappingNode? ReadMapping(string path, List<SpecError> errors, string what, string firstKey = "name")
    {
        if (!File.Exists(path))
        {
            errors.Add(new SpecError(path, 0, 0, "", $"{what} file not found"));
            return null;
        }
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add(new SpecError(path, 0, 0, "", $"cannot read the {what} file: {e.Message}"));
            return null;
        }
        var node = YamlTreeReader.Read(text, path, errors);
        if (node is null) return null;
        if (ScalarType.IsNull(node))
        {
            errors.Add(new SpecError(path, 1, 1, "", $"the {what} file is empty; a {what} is a mapping with at least `{firstKey}:`"));
            return null;
        }
        if (node is not MappingNode root)
        {
            errors.Add(node.Mark.Error("", $"a {what} file must be a mapping of keys, got {ScalarType.Describe(node)}"));
            return null;
        }
        return root;
    }

    private static MappingNode? Read(string path, List<SpecError> errors, List<string> chain)
    {
        chain.Add(Path.GetFullPath(path));
        var root = ReadMapping(path, errors, "spec");
        if (root is null) return null;

        var extends = root.Find(ExtendsKey);
        if (extends is null) return root;
        var own = new MappingNode(root.Mark, root.Entries.Where(e => e != extends).ToList());
        if (ScalarType.IsNull(extends.Value)) return own;
        if (extends.Value is not ScalarNode baseName || ScalarType.Of(baseName) != ScalarKind.String)
        {
            errors.Add(extends.Value.Mark.Error("extends", $"expected a file path, got {ScalarType.Describe(extends.Value)}"));
            return null;
        }

        var basePath = Path.Combine(Path.GetDirectoryName(path) ?? "", baseName.Text);
        if (chain.Contains(Path.GetFullPath(basePath)))
        {
            var cycle = string.Join(" -> ", chain.Select(Path.GetFileName).Append(Path.GetFileName(basePath)));
            errors.Add(baseName.Mark.Error("extends", $"extends cycle: {cycle}"));
            return null;
        }
        if (!File.Exists(basePath))
        {
            errors.Add(baseName.Mark.Error("extends", $"base spec `{basePath}` not found (paths are relative to the file that extends them)"));
            return null;
        }
        var under = Read(basePath, errors, chain);
        return under is null ? null : SpecMerge.Over(under, own);
    }
}
