// The start of the post-training chain the stage tests build on, made once for all of them: a tiny
// character GPT pretrained on eight `compare` problems, then fine-tuned (sft) on the same eight until
// it has learnt them by heart. Each later stage starts from the sft run, in the same run database.
using Workbench.Experiments.Runs;
using Workbench.Experiments.Specs;
using Workbench.Experiments.Tests.Specs;
using Workbench.Tracking;

namespace Workbench.Experiments.Tests.Stages.PostTraining;

[CollectionDefinition(Name)]
public sealed class TaskChainCollection : ICollectionFixture<TaskChain>
{
    public const string Name = "task chain";
}

public sealed class TaskChain : IDisposable
{
    /// <summary>One layer, 32 wide, on a handful of problems: each stage overfits them in a few seconds on one thread.</summary>
    public const string Base = """
        name: chain
        seed: 11
        device: cpu
        threads: 1
        data:
          dataset: tasks
          tasks: [compare]
          problems: 8
          eval_problems: 4
          tokenizer: {kind: char}
        model: {kind: gpt, n_layer: 1, n_head: 2, n_embd: 32, block_size: 64}
        train:
          stage: pretrain
          optimizer: {name: adamw, lr: 3.0e-3}
          batch_size: 8
          max_steps: 30
          log_every: 1
          eval: {every: 30}
          checkpoint: {every: 1000, keep: 1}
        """;

    private readonly SpecFolder _folder = new();

    public TaskChain()
    {
        Pretrain = Start(Load());
        Sft = Start(Load("train.stage=sft", $"train.init_from={Pretrain.RunId}", "train.max_steps=150", "train.eval.every=150"));
    }

    public string Database => Path.Combine(_folder.Root, "runs", "workbench.db");

    public RunOutcome Pretrain { get; }

    public RunOutcome Sft { get; }

    /// <summary>The base spec with these overrides (key=value, as `--set` takes them).</summary>
    public ExperimentSpec Load(params string[] overrides) => _folder.Load(Base, overrides);

    /// <summary>A spec of a stage started from the sft run.</summary>
    public ExperimentSpec FromSft(string stage, params string[] overrides) =>
        Load([$"train.stage={stage}", $"train.init_from={Sft.RunId}", .. overrides]);

    public string WriteFile(string name, string text) => _folder.Write(name, text);

    /// <summary>A spec file's text loaded as it is (for specs that are not the base's).</summary>
    public ExperimentSpec LoadYaml(string yaml, params string[] overrides) => _folder.Load(yaml, overrides);

    public string Folder => _folder.Root;

    public RunOutcome Start(ExperimentSpec spec) =>
        new ExperimentRunner(SilentObserver.Instance, CancellationToken.None).Start(spec, new RunRequest(Database, "test"));

    public int RunCount()
    {
        using var store = RunStore.Open(Database);
        return store.List().Count;
    }

    public MetricSeries Metric(string runId, string key)
    {
        using var store = RunStore.Open(Database);
        var series = store.GetMetrics(runId, [key]);
        Assert.True(series.ContainsKey(key), $"run {runId} logged no {key}");
        return series[key];
    }

    public RunRecord Run(string runId)
    {
        using var store = RunStore.Open(Database);
        return store.Get(runId);
    }

    public void Dispose() => _folder.Dispose();
}
