// The stage catalog: every name `train.stage` takes, the model kinds and datasets it trains on, and how
// it loads (a planned stage has no loader: it is recognised in a spec and refused until it is built).
// A new stage is a folder in Stages/ plus one line here; a name missing from the table is an error.
// Whether a stage trains data-parallel (`--nproc`) is said here too, so the launcher refuses one that
// does not before any rank starts.
using Workbench.Data;
using Workbench.Experiments.Lineage;
using Workbench.Experiments.Specs;
using Workbench.Experiments.Stages;
using Workbench.Experiments.Stages.Grpo;
using Workbench.Torch;

namespace Workbench.Experiments.Catalog;

/// <summary>Loads a stage's data and checks the spec fits it, before the run exists (see <see cref="IStage"/>).</summary>
public delegate IStage StageLoader(ExperimentSpec spec, StageSetup setup);

/// <summary>
/// What a stage loads with besides its spec: the data cache, the device, where to report, the run
/// train.init_from names (its tokenizer is the one a language stage must encode with), and how to load another
/// run its keys name (PPO's reward model): LoadRun(reference, key), problems as RunSetupExceptions naming the key.
/// </summary>
public sealed record StageSetup(DataCache Cache, Device Device, Action<string> Log, TrainedModel? InitFrom,
    Func<string, string, TrainedModel>? LoadRun = null);

public sealed record StageDefinition(string Name, string Meaning, IReadOnlyList<string> Kinds, IReadOnlyList<string> Datasets, StageLoader? Load)
{
    public bool Built => Load is not null;

    /// <summary>
    /// Why the stage does not train data-parallel (`--nproc`), or null when it does: its ranks then take their
    /// shares of each global batch and average their gradients in the one training loop's optimizer step.
    /// </summary>
    public string? NotDataParallel { get; init; }

    public bool DataParallel => NotDataParallel is null;

    /// <summary>Its own keys, under train.&lt;stage&gt; (empty: the stage has none).</summary>
    public IReadOnlyList<string> Keys { get; private init; } = [];

    /// <summary>Reads train.&lt;stage&gt;; null for a stage without keys.</summary>
    internal Func<SpecSection, StageSpec>? ReadSettings { get; private init; }

    internal StageDefinition(string name, string meaning, IReadOnlyList<string> kinds, IReadOnlyList<string> datasets, StageLoader? load,
        IReadOnlyList<string> keys, Func<SpecSection, StageSpec> read) : this(name, meaning, kinds, datasets, load) =>
        (Keys, ReadSettings) = (keys, read);
}

public static class StageTable
{
    private static readonly string[] Supervised = ["mnist", "xor", "or", "and", "linreg"];
    private static readonly string[] Corpora = ["names", "sotu", "text", "tasks"];
    private static readonly string[] Chats = ["tasks", "jsonl"];

    public static IReadOnlyList<StageDefinition> All { get; } =
    [
        new("supervised", "classification or regression on labelled rows", ["mlp", "cnn", "perceptron", "linear"], Supervised,
            (spec, setup) => SupervisedStage.Load(spec, setup.Cache, setup.Device)),
        new("pretrain", "next-token prediction on a text corpus", ["char-mlp", "gpt"], Corpora, PretrainStage.Load),
        new("sft", "supervised fine-tuning on conversations: loss on the assistant's tokens", ["gpt"], Chats, SftStage.Load,
            SftSpec.Keys, SftSpec.Read),
        new("reward", "a reward model: the GPT trunk and a scalar head, trained on preference pairs (Bradley-Terry)", ["gpt"], Chats,
            RewardStage.Load, RewardSpec.Keys, RewardSpec.Read),
        new("dpo", "direct preference optimisation against a frozen reference (the init_from run)", ["gpt"], Chats,
            DpoStage.Load, DpoSpec.Keys, DpoSpec.Read),
        new("ppo", "RLHF: a policy from init_from, a value head, a reward model's (or the task checkers') score and a KL penalty to the start",
            ["gpt"], Chats, PpoStage.Load, PpoSpec.Keys, PpoSpec.Read)
        {
            NotDataParallel = "a step rolls out on its prompts and then takes several updates on that rollout; the ranks would each " +
                              "roll out and update on their own prompts, which no gradient average makes one run's step",
        },
        new("grpo", "RL with verifiable rewards: G sampled completions per prompt, rewards from the task checkers, group-normalised advantages",
            ["gpt"], Chats, GrpoStage.Load, GrpoSpec.Keys, GrpoSpec.Read)
        {
            NotDataParallel = "a step samples G completions per prompt and normalises their rewards within the group, then takes " +
                              "num_iterations updates on them; the ranks would each sample and normalise their own groups",
        },
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(s => s.Name).ToList();

    public static IReadOnlyList<string> BuiltNames { get; } = All.Where(s => s.Built).Select(s => s.Name).ToList();

    public static StageDefinition Get(string name) =>
        All.FirstOrDefault(s => s.Name == name) ?? throw new KeyNotFoundException($"stage `{name}` is not in the catalog (known: {string.Join(", ", Names)})");
}
