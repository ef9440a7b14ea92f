// The closed vocabularies of a spec (optimizers, schedules, ...) and, read from the catalog's tables
// (Catalog/DatasetTable, ModelKindTable, StageTable), which datasets, model kinds and stages go together.
using Workbench.Experiments.Catalog;
using Workbench.Tracking;

namespace Workbench.Experiments.Specs;

public static class SpecCatalog
{
    public static IReadOnlyList<string> Datasets => DatasetTable.Names;
    public static IReadOnlyList<string> ModelKinds => ModelKindTable.Names;

    /// <summary>Stages a run can use today.</summary>
    public static IReadOnlyList<string> BuiltStages => StageTable.BuiltNames;

    /// <summary>Stages that are planned: recognised in a spec, rejected as not built yet.</summary>
    public static IReadOnlyList<string> PlannedStages { get; } = StageTable.All.Where(s => !s.Built).Select(s => s.Name).ToList();

    public static IReadOnlyList<string> Optimizers { get; } = ["sgd", "adam", "adamw"];
    public static IReadOnlyList<string> Schedules { get; } = ["constant", "step", "linear", "cosine"];
    public static IReadOnlyList<string> Activations { get; } = ["relu", "tanh", "sigmoid", "gelu"];
    public static IReadOnlyList<string> Precisions { get; } = ["fp32", "bf16", "fp16"];
    public static IReadOnlyList<string> TokenizerKinds { get; } = ["char", "bpe", "gpt2"];
    public static IReadOnlyList<string> MetricGoals { get; } = ["max", "min"];

    /// <summary>The model kinds that fit a dataset's family.</summary>
    public static IReadOnlyList<string> KindsFor(string dataset)
    {
        var definition = DatasetTable.Get(dataset);
        return ModelKindTable.All.Where(k => k.Fits(definition)).Select(k => k.Name).ToList();
    }

    /// <summary>The stage that trains a model kind from scratch.</summary>
    public static string StageFor(string kind) => ModelKindTable.Get(kind).Stage;

    public static bool IsLanguageModel(string kind) => ModelKindTable.Get(kind).IsLanguageModel;

    /// <summary>The model keys (besides `kind`) each kind takes, in the order they are written.</summary>
    public static IReadOnlyList<string> ModelKeys(string kind) => ModelKindTable.Get(kind).Keys;

    public static bool HasOfficialTest(string dataset) => DatasetTable.Get(dataset).OfficialTest;

    /// <summary>The truth-table datasets: four rows, trained and evaluated on all of them.</summary>
    public static bool IsTruthTable(string dataset) => DatasetTable.Get(dataset).Family == DataFamily.TruthTable;

    /// <summary>Whether supervised training on the dataset is classification (else regression).</summary>
    public static bool IsClassification(string dataset) => DatasetTable.Get(dataset).Classifies;
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
        || (stage == "supervised" && IsClassification(dataset) && metric.Stages.Contains(MetricTable.SupervisedClassification))
        || (stage == "pretrain" && DatasetTable.Get(dataset).Family == DataFamily.Chat && metric.Stages.Contains(MetricTable.PretrainOnChat));

    /// <summary>The metric a stage picks its best checkpoint by when the spec names none: accuracy where it classifies.</summary>
    public static string DefaultMetric(string stage, string dataset) => stage switch
    {
        "supervised" when IsClassification(dataset) => "val/acc",
        "sft" or "ppo" or "grpo" => "val/exact_match",
        "reward" => "val/accuracy",
        _ => "val/loss",
    };
}
