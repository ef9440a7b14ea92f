// The closed vocabularies of a spec (datasets, model kinds, stages, ...) and which go together.
using Workbench.Experiments.Catalog;
using Workbench.Tracking;

namespace Workbench.Experiments.Specs;

public static class SpecCatalog
{
    public static IReadOnlyList<string> Datasets { get; } = ["mnist", "xor", "or", "and", "linreg", "names", "sotu", "text"];
    public static IReadOnlyList<string> ModelKinds { get; } = ["mlp", "cnn", "perceptron", "linear", "char-mlp", "gpt"];

    /// <summary>Stages a run can use today.</summary>
    public static IReadOnlyList<string> BuiltStages { get; } = ["supervised", "pretrain"];

    /// <summary>Stages that are planned: recognised in a spec, rejected as not built yet.</summary>
    public static IReadOnlyList<string> PlannedStages { get; } = ["sft", "reward", "dpo", "ppo", "grpo"];

    public static IReadOnlyList<string> Optimizers { get; } = ["sgd", "adam", "adamw"];
    public static IReadOnlyList<string> Schedules { get; } = ["constant", "step", "linear", "cosine"];
    public static IReadOnlyList<string> Activations { get; } = ["relu", "tanh", "sigmoid", "gelu"];
    public static IReadOnlyList<string> Precisions { get; } = ["fp32", "bf16", "fp16"];
    public static IReadOnlyList<string> TokenizerKinds { get; } = ["char", "bpe", "gpt2"];
    public static IReadOnlyList<string> MetricGoals { get; } = ["max", "min"];

    /// <summary>The model kinds that fit a dataset.</summary>
    public static IReadOnlyList<string> KindsFor(string dataset) => dataset switch
    {
        "mnist" => ["mlp", "cnn", "linear"],
        "xor" or "or" or "and" => ["perceptron", "mlp", "linear"],
        "linreg" => ["linear", "mlp"],
        _ => ["char-mlp", "gpt"],
    };

    /// <summary>The stage that trains a model kind from scratch.</summary>
    public static string StageFor(string kind) => IsLanguageModel(kind) ? "pretrain" : "supervised";

    public static bool IsLanguageModel(string kind) => kind is "char-mlp" or "gpt";

    /// <summary>The model keys (besides `kind`) each kind takes, in the order they are written.</summary>
    public static IReadOnlyList<string> ModelKeys(string kind) => kind switch
    {
        "mlp" => ["hidden", "activation", "dropout"],
        "cnn" => ["channels", "kernel", "pool", "hidden", "activation", "dropout"],
        "perceptron" => ["hidden", "activation"],
        "char-mlp" => ["block_size", "n_embd", "hidden", "batch_norm", "activation"],
        "gpt" => ["n_layer", "n_head", "n_embd", "block_size", "dropout", "bias"],
        _ => [],
    };

    public static bool HasOfficialTest(string dataset) => dataset == "mnist";

    /// <summary>The truth-table datasets: four rows, trained and evaluated on all of them.</summary>
    public static bool IsTruthTable(string dataset) => dataset is "xor" or "or" or "and";

    /// <summary>Whether supervised training on the dataset is classification (else regression).</summary>
    public static bool IsClassification(string dataset) => dataset != "linreg";

    /// <summary>
    /// What a stage computes at every evaluation on a dataset, so what a spec's `metric` (the one that
    /// picks the best checkpoint) may name: the metric catalog's rows that list the stage. Patterns
    /// such as `val/exact_match/<task>` stand for every name they match.
    /// </summary>
    public static IReadOnlyList<MetricDefinition> EvalMetrics(string stage, string dataset) =>
        MetricTable.Catalog.Definitions.Where(d => Evaluates(d, stage, dataset)).ToList();

    /// <summary>Whether the stage's evaluation on the dataset computes the metric.</summary>
    public static bool Evaluates(MetricDefinition metric, string stage, string dataset) =>
        metric.Stages.Contains(stage)
        || (stage == "supervised" && IsClassification(dataset) && metric.Stages.Contains(MetricTable.SupervisedClassification));

    /// <summary>The metric a stage picks its best checkpoint by when the spec names none: accuracy where it classifies.</summary>
    public static string DefaultMetric(string stage, string dataset) =>
        stage == "supervised" && IsClassification(dataset) ? "val/acc" : "val/loss";
}
