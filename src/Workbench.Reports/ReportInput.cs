// The report's input model: what one run looks like to a report, independent of how the run store keeps it.
using Workbench.Tracking;

namespace Workbench.Reports;

/// <summary>One run as a report shows it. <see cref="ConfigJson"/> is the resolved spec as JSON.</summary>
public sealed record ReportRun(
    string Id,
    string Name,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string Device,
    string? GitCommit,
    bool GitDirty,
    long Seed,
    string TorchVersion,
    string RerunCommand,
    string ConfigJson,
    string GroupHash,
    IReadOnlyList<string> Tags,
    string Notes,
    IReadOnlyDictionary<string, double> Summary,
    IReadOnlyDictionary<string, MetricSeriesData> Metrics,
    IReadOnlyList<TextArtifact> Texts);

/// <summary>
/// One metric's points in step order. <see cref="WallTimes"/> are seconds (any origin: the report
/// measures elapsed time from the run's first point), or null when the store has none.
/// </summary>
public sealed record MetricSeriesData(long[] Steps, double[] Values, double[]? WallTimes);

/// <summary>Text a run produced at a step, such as a language model's sample.</summary>
public sealed record TextArtifact(string Title, long Step, string Text);

/// <summary>
/// Report title; the metric catalog that gives each metric its goal and chart (the caller's table,
/// so reports never guess from a name); per-metric goal overrides (metric name to "min" or "max");
/// the runs' primary metric (the spec's `metric`), which the Markdown summary's runs table shows; and, for a
/// pipeline's report, its chain of stages, shown first.
/// </summary>
public sealed record ReportOptions(string Title, MetricCatalog Metrics, IReadOnlyDictionary<string, string>? Goals = null, string? PrimaryMetric = null,
    PipelineChain? Pipeline = null);
