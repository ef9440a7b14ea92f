// A validated pipeline file: its name, its seeds and its stages in order, each a spec tree that
// still names earlier stages (`init_from: {stage: sft}`) where run ids go once those stages have run.
using System.Globalization;
using Workbench.Experiments.Specs;

namespace Workbench.Experiments.Pipelines;

/// <summary>
/// A pipeline. <see cref="Seeds"/> is null when the file gives none: the chain then runs once, each
/// stage with its own spec's seed.
/// </summary>
public sealed record PipelineSpec(string Name, IReadOnlyList<long>? Seeds, IReadOnlyList<PipelineStage> Stages)
{
    /// <summary>The seed of each chain in order; a null seed keeps each stage's own.</summary>
    public IReadOnlyList<long?> Chains => Seeds is null ? [null] : Seeds.Select(s => (long?)s).ToList();

    /// <summary>What a pipeline's stage runs carry among their tags, so `ls` and reports can find them.</summary>
    public string Tag => $"pipeline:{Name}";
}

public sealed class PipelineStage
{
    private readonly MappingNode _tree;

    internal PipelineStage(string name, string runName, MappingNode tree, IReadOnlyDictionary<string, string> inputs, ExperimentSpec preview)
    {
        // tree: the stage's whole spec (file or inline, `set` over it, the run name), seed not yet set.
        Name = name;
        RunName = runName;
        _tree = tree;
        Inputs = inputs;
        Preview = preview;
    }

    /// <summary>The stage's name in the pipeline file.</summary>
    public string Name { get; }

    /// <summary>Its runs' name: &lt;pipeline&gt;-&lt;stage&gt;.</summary>
    public string RunName { get; }

    /// <summary>Spec key (`train.init_from`) to the earlier stage whose run it takes.</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; }

    /// <summary>The stage whose weights it starts from, or null.</summary>
    public string? InitFromStage => Inputs.GetValueOrDefault(StageReferences.InitFrom);

    /// <summary>The spec as the first chain resolves it, earlier stages' runs standing in as `stage:NAME` (what validate shows).</summary>
    public ExperimentSpec Preview { get; }

    /// <summary>
    /// The stage's spec for one chain: <paramref name="seed"/> (null keeps the spec's) and each input
    /// key set to the id of the run its stage produced in this chain.
    /// </summary>
    public ExperimentSpec Resolve(long? seed, IReadOnlyDictionary<string, string> runIds)
    {
        var errors = new List<SpecError>();
        var spec = SpecResolver.Resolve(Pin(_tree, Inputs, seed, stage => runIds[stage]), errors);
        // The loader resolved this tree for every seed already; only a caller bug gets here.
        if (errors.Count > 0) throw new SpecException(errors);
        return spec;
    }

    /// <summary>The tree with the seed set and each `{stage: X}` replaced by what <paramref name="runOf"/> gives for X.</summary>
    internal static MappingNode Pin(MappingNode tree, IReadOnlyDictionary<string, string> inputs, long? seed, Func<string, string> runOf)
    {
        if (seed is { } s)
            tree = SpecMerge.Over(tree, SpecMerge.At(tree.Mark, "seed", new ScalarNode(tree.Mark, s.ToString(CultureInfo.InvariantCulture), quoted: false)));
        foreach (var (key, stage) in inputs)
            tree = SpecMerge.Over(tree, SpecMerge.At(tree.Mark, key, new ScalarNode(tree.Mark, runOf(stage), quoted: true)));
        return tree;
    }
}
