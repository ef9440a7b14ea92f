// The stage catalog: every name `train.stage` takes, the model kinds and datasets it trains on, and how
// it loads (a planned stage has no loader: it is recognised in a spec and refused until it is built).
// A new stage is a folder in Stages/ plus one line here; a name missing from the table is an error.
using Workbench.Data;
using Workbench.Experiments.Lineage;
using Workbench.Experiments.Specs;
using Workbench.Experiments.Stages;
using Workbench.Torch;

namespace Workbench.Experiments.Catalog;

/// <summary>Loads a stage's data and checks the spec fits it, before the run exists (see <see cref="IStage"/>).</summary>
public delegate IStage StageLoader(ExperimentSpec spec, StageSetup setup);

/// <summary>
/// What a stage loads with besides its spec: the data cache, the device, where to report, and the run
/// train.init_from names (its tokenizer is the one a language stage must encode with).
/// </summary>
public sealed record StageSetup(DataCache Cache, Device Device, Action<string> Log, TrainedModel? InitFrom);

public sealed record StageDefinition(string Name, string Meaning, IReadOnlyList<string> Kinds, IReadOnlyList<string> Datasets, StageLoader? Load)
{
    public bool Built => Load is not null;
}

public static class StageTable
{
    private static readonly string[] Supervised = ["mnist", "xor", "or", "and", "linreg"];
    private static readonly string[] Corpora = ["names", "sotu", "text"];

    public static IReadOnlyList<StageDefinition> All { get; } =
    [
        new("supervised", "classification or regression on labelled rows", ["mlp", "cnn", "perceptron", "linear"], Supervised,
            (spec, setup) => SupervisedStage.Load(spec, setup.Cache, setup.Device)),
        new("pretrain", "next-token prediction on a text corpus", ["char-mlp", "gpt"], Corpora, PretrainStage.Load),
        new("sft", "supervised fine-tuning on conversations: loss on the assistant's tokens", ["gpt"], [], null),
        new("reward", "a reward model trained on preference pairs (Bradley-Terry)", ["gpt"], [], null),
        new("dpo", "direct preference optimisation against a frozen reference", ["gpt"], [], null),
        new("ppo", "RLHF with a reward model, a value head and a KL penalty", ["gpt"], [], null),
        new("grpo", "RL with verifiable rewards and group-normalised advantages", ["gpt"], [], null),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(s => s.Name).ToList();

    public static IReadOnlyList<string> BuiltNames { get; } = All.Where(s => s.Built).Select(s => s.Name).ToList();

    public static StageDefinition Get(string name) =>
        All.FirstOrDefault(s => s.Name == name) ?? throw new KeyNotFoundException($"stage `{name}` is not in the catalog (known: {string.Join(", ", Names)})");
}
