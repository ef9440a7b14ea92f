// A sweep and its trials as the store returns them.
namespace Workbench.Tracking;

/// <summary>What a caller registers: the store adds the id, status and creation time.</summary>
/// <param name="DefinitionJson">The validated sweep definition as JSON; trial processes read their pruning rule from it.</param>
/// <param name="BudgetTrials">At most this many trials (null: no limit).</param>
/// <param name="DeadlineAt">No trial starts after this time, UTC (null: no limit).</param>
public sealed record NewSweep(
    string Name, string ContentHash, string SourcePath, string DefinitionJson, int Retries, int? BudgetTrials, DateTime? DeadlineAt);

public sealed record SweepRecord(
    string Id,
    string Name,
    string ContentHash,
    string SourcePath,
    string DefinitionJson,
    SweepStatus Status,
    int Retries,
    int? BudgetTrials,
    DateTime? DeadlineAt,
    DateTime CreatedAt);

/// <param name="ParametersJson">The trial's parameters: a JSON object from dotted spec path to value.</param>
/// <param name="Score">The mean over its seeds of best/&lt;metric&gt; (for a pruned trial: of the seed that was pruned).</param>
/// <param name="RunIds">The run of each seed started so far, by seed.</param>
/// <param name="Process">The process that claimed it last (null while pending and never claimed).</param>
public sealed record TrialRecord(
    string SweepId,
    int Number,
    string ParametersJson,
    TrialStatus Status,
    double? Score,
    long? PrunedStep,
    int Attempts,
    IReadOnlyDictionary<long, string> RunIds,
    RunProcess? Process,
    DateTime? HeartbeatAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    string? Error);

/// <summary>The metric a trial reported at a rung step.</summary>
public sealed record RungRecord(int TrialNumber, long Step, double Value);
