// The sweep tables (sweeps, sweep_trials, sweep_rungs) as EF Core maps them; RunStore.Sweeps turns
// rows into SweepRecords and TrialRecords.
namespace Workbench.Tracking.Schema;

internal sealed class SweepRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string ContentHash { get; set; } = "";
    public string SourcePath { get; set; } = "";
    public string DefinitionJson { get; set; } = "{}";
    public SweepStatus Status { get; set; }
    public int Retries { get; set; }
    public int? BudgetTrials { get; set; }
    public DateTime? DeadlineAt { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class TrialRow
{
    public string SweepId { get; set; } = "";
    public int Number { get; set; }
    public string ParametersJson { get; set; } = "{}";
    public TrialStatus Status { get; set; }
    public double? Score { get; set; }
    public long? PrunedStep { get; set; }
    public int Attempts { get; set; }
    public string RunIdsJson { get; set; } = "{}";
    public string? Host { get; set; }
    public int? Pid { get; set; }
    public long? PidStartTicks { get; set; }
    public DateTime? HeartbeatAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string? Error { get; set; }
}

internal sealed class RungRow
{
    public string SweepId { get; set; } = "";
    public int TrialNumber { get; set; }
    public long Step { get; set; }
    public double Value { get; set; }
}
