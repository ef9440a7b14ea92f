// The morning report's input model: a sweep and its trials as the report shows them, independent of
// how the run store keeps them (Experiments' SweepReports maps the one to the other).
using Workbench.Tracking;

namespace Workbench.Reports;

/// <param name="Trials">Ranked by the metric, best first; trials without a score last.</param>
/// <param name="TrialRuns">
/// The runs of the trials, named by trial (`trial 3`, `trial 4 · pruned at 200`) and holding the sweep's
/// metric series only; a trial's seeds share a group hash and so draw as one curve with its band.
/// </param>
/// <param name="BestCommand">The command that reruns the best trial's first seed, when there is a best trial.</param>
/// <param name="Importance">Each parameter's share of the metric's variance, or why there is none; null when not computed.</param>
/// <param name="Baseline">The run the best trials' curves are drawn against (its metrics cut as the trials' are).</param>
/// <param name="BaselineNote">Which run the baseline is and why, or why there is none: a sentence for the page.</param>
/// <param name="BestSpec">The best trial's resolved spec as YAML.</param>
/// <param name="BestCurves">How many of the best completed trials are drawn against the baseline; the others are in the legend, hidden.</param>
public sealed record SweepReportInput(
    string Title,
    string Summary,
    string MetricName,
    MetricGoal Goal,
    IReadOnlyList<SweepReportParameter> Parameters,
    IReadOnlyList<SweepReportTrial> Trials,
    IReadOnlyList<ReportRun> TrialRuns,
    string? BestCommand,
    MetricCatalog Catalog,
    ImportanceTable? Importance = null,
    ReportRun? Baseline = null,
    string? BaselineNote = null,
    string? BestSpec = null,
    int BestCurves = 3);

/// <summary>A swept spec key; <paramref name="LogScale"/> for a log-uniform distribution.</summary>
public sealed record SweepReportParameter(string Path, bool LogScale);

/// <param name="Parameters">Each swept key's value as `--set` writes it (`0.001`, `[64, 32]`).</param>
public sealed record SweepReportTrial(
    int Number,
    string Status,
    double? Score,
    long? PrunedStep,
    string? Duration,
    int Attempts,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyList<string> RunIds);
