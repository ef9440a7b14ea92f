// Reads and validates a pipeline file: top-level `name`, `seeds` and `stages`, an ordered map from a
// stage name to `spec:` (a file relative to the pipeline file, or an inline mapping) and `set:`
// overrides. Every stage's spec is resolved for every seed here, so a pipeline that loads has no
// stage that would be refused later; every problem is reported at once, with its file and line.
using System.Text.RegularExpressions;
using Workbench.Experiments.Specs;

namespace Workbench.Experiments.Pipelines;

public static partial class PipelineLoader
{
    private const string StagesKey = "stages";
    private static readonly string[] RootKeys = ["name", "seeds", StagesKey];
    private static readonly string[] StageKeys = ["spec", "set"];

    /// <summary>Whether the file is a pipeline rather than a spec: a mapping with a top-level `stages:` key, which no spec has.</summary>
    public static bool IsPipeline(string path)
    {
        try
        {
            return File.Exists(path) && YamlTreeReader.Read(File.ReadAllText(path), path, []) is MappingNode root && root.Find(StagesKey) is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // SpecLoader reports the unreadable file
        }
    }

    /// <summary>
    /// Loads and validates a pipeline. <paramref name="overrides"/> are `STAGE.KEY=VALUE`: `--set` for one stage.
    /// Throws <see cref="SpecException"/> listing every problem.
    /// </summary>
    public static PipelineSpec Load(string path, IReadOnlyList<string>? overrides = null)
    {
        var errors = new List<SpecError>();
        var pipeline = Read(path, overrides ?? [], errors);
        if (errors.Count > 0 || pipeline is null)
            throw new SpecException(errors.Distinct().OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column).ToList());
        return pipeline;
    }

    private static PipelineSpec? Read(string path, IReadOnlyList<string> overrides, List<SpecError> errors)
    {
        var root = SpecFiles.ReadMapping(path, errors, "pipeline");
        if (root is null) return null;
        var top = SpecSection.Root(root, errors);
        top.CheckKeys(RootKeys);
        var name = top.RequiredText("name", "missing; a pipeline needs a `name` (its stage runs are named <name>-<stage>)");
        if (name.Length > 0 && !PlainName().IsMatch(name))
            top.Error("name", "must be letters, digits, `-` and `_` (it starts every stage run's name)");
        IReadOnlyList<long>? seeds = null;
        if (top.Has("seeds"))
        {
            var listed = top.IntList("seeds", ValueList<int>.Empty, Bound.NonNegative).Select(s => (long)s).ToList();
            if (listed.Distinct().Count() < listed.Count) top.Error("seeds", "lists a seed twice; each seed runs the whole chain once");
            seeds = listed.Count > 0 ? listed : null; // none: the list was refused, and the stages are still checked
        }

        if (top.Value(StagesKey) is not MappingNode { Entries.Count: > 0 } stageMap)
        {
            top.Error(StagesKey, "expected a mapping from each stage's name to its `spec:` (and `set:`), in the order they run");
            return null;
        }
        var names = stageMap.Entries.Select(e => e.Key.Text).ToList();
        var fromCommandLine = CommandLineOverrides(overrides, names, errors);
        var stages = new List<PipelineStage>();
        var section = top.Section(StagesKey);
        for (var i = 0; i < names.Count; i++)
        {
            var stage = ReadStage(section, names, i, path, name, fromCommandLine[names[i]], seeds, errors);
            if (stage is not null) stages.Add(stage);
        }
        return new PipelineSpec(name, seeds, stages);
    }

    private static PipelineStage? ReadStage(SpecSection stages, IReadOnlyList<string> names, int index, string pipelinePath,
        string pipelineName, IReadOnlyList<MappingNode> fromCommandLine, IReadOnlyList<long>? seeds, List<SpecError> errors)
    {
        var stageName = names[index];
        if (!PlainName().IsMatch(stageName))
            stages.Error(stageName, "a stage name must be letters, digits, `-` and `_`");
        if (stages.Value(stageName) is not MappingNode)
        {
            stages.Error(stageName, "expected a mapping with `spec:` (a file or an inline spec) and optional `set:`");
            return null;
        }
        var section = stages.Section(stageName, StageKeys);
        var tree = SpecTree(section, pipelinePath, errors);
        if (tree is null) return null;
        foreach (var over in Sets(section, seeds is not null, errors).Concat(fromCommandLine)) tree = SpecMerge.Over(tree, over);
        var runName = $"{pipelineName}-{stageName}";
        var mark = section.MarkOf("spec");
        tree = SpecMerge.Over(tree, SpecMerge.At(mark, "name", new ScalarNode(mark, runName, quoted: true)));

        var earlier = names.Take(index).ToList();
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var before = errors.Count;
        var references = StageReferences.Find(tree, errors);
        foreach (var (key, reference) in references)
        {
            var target = reference.Text;
            if (earlier.Contains(target))
                inputs[key] = target;
            else if (names.Skip(index).Contains(target))
                errors.Add(reference.Mark.Error(key, $"stage `{target}` does not run before `{stageName}`; a stage can only take the runs of stages above it"));
            else
                errors.Add(reference.Mark.Error(key, $"no stage `{target}` in this pipeline{DidYouMean.Hint(target, earlier)} " +
                                                     $"(stages before `{stageName}`: {(earlier.Count == 0 ? "none" : string.Join(", ", earlier))})"));
        }
        if (errors.Count > before) return null;

        // The chains' specs differ by their seed alone; resolving each reports a seed-dependent problem too.
        var resolved = (seeds?.Select(s => (long?)s) ?? [null])
            .Select(seed => SpecResolver.Resolve(PipelineStage.Pin(tree, inputs, seed, stage => $"stage:{stage}"), errors))
            .ToList();
        return new PipelineStage(stageName, runName, tree, inputs, resolved[0]);
    }

    /// <summary>The stage's `spec:`: a file (relative to the pipeline file, with its `extends:` chain) or an inline mapping.</summary>
    private static MappingNode? SpecTree(SpecSection stage, string pipelinePath, List<SpecError> errors)
    {
        switch (stage.Value("spec"))
        {
            case null:
                stage.Error("spec", "missing; give the stage's spec file (relative to the pipeline file) or the spec inline");
                return null;
            case ScalarNode file when ScalarType.Of(file) == ScalarKind.String:
                var path = Path.Combine(Path.GetDirectoryName(pipelinePath) ?? "", file.Text);
                if (File.Exists(path)) return SpecFiles.Read(path, errors);
                stage.Error("spec", $"spec file `{path}` not found (paths are relative to the pipeline file)");
                return null;
            case MappingNode inline when inline.Find(SpecFiles.ExtendsKey) is { } extends:
                errors.Add(extends.Key.Mark.Error($"{stage.PathOf("spec")}.{SpecFiles.ExtendsKey}",
                    "an inline spec cannot extend a file; give the file as `spec:` and change its keys in `set:`"));
                return null;
            case MappingNode inline:
                return inline;
            case var other:
                stage.TypeError("spec", "a spec file's path or an inline spec", other);
                return null;
        }
    }

    /// <summary>The stage's `set:`, one override per `dotted.key: value`, as --set takes them.</summary>
    private static IEnumerable<MappingNode> Sets(SpecSection stage, bool pipelineSeeds, List<SpecError> errors) =>
        SpecSetBlock.Read(stage, "set", parts => parts switch
        {
            [SpecFiles.ExtendsKey, ..] => "extends cannot be set; give the base file as the stage's `spec:`",
            ["name"] => "a stage run is named <pipeline>-<stage>",
            ["seed"] when pipelineSeeds => "the pipeline's `seeds:` set each chain's seed",
            _ => null,
        }, errors).Select(e => e.Tree);

    /// <summary>`--set STAGE.KEY=VALUE` by stage; each stage's list may be empty.</summary>
    private static Dictionary<string, List<MappingNode>> CommandLineOverrides(IReadOnlyList<string> overrides, IReadOnlyList<string> stages, List<SpecError> errors)
    {
        var byStage = stages.Distinct().ToDictionary(s => s, _ => new List<MappingNode>(), StringComparer.Ordinal);
        foreach (var assignment in overrides)
        {
            var dot = assignment.IndexOf('.');
            var stage = dot < 0 ? "" : assignment[..dot];
            if (dot < 0 || assignment.IndexOf('=') < dot || !byStage.ContainsKey(stage))
            {
                var equals = assignment.IndexOf('=');
                errors.Add(new SpecError($"--set {(equals < 0 ? assignment : assignment[..equals])}", 0, 0, "",
                    $"a pipeline's --set names a stage first, like STAGE.train.optimizer.lr=3e-4 (stages: {string.Join(", ", stages)})"));
                continue;
            }
            if (SpecOverride.Parse(assignment[(dot + 1)..], errors) is { } over) byStage[stage].Add(over);
        }
        return byStage;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex PlainName();
}
