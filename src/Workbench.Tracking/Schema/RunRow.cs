// The runs table as EF Core maps it; RunStore turns rows into RunRecords.
namespace Workbench.Tracking.Schema;

internal sealed class RunRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public RunStatus Status { get; set; }
    public string ConfigJson { get; set; } = "{}";
    public string ConfigHash { get; set; } = "";
    public string GroupHash { get; set; } = "";
    public string MetricName { get; set; } = "";
    public MetricGoal MetricGoal { get; set; }
    public string TagsJson { get; set; } = "[]";
    public string Notes { get; set; } = "";
    public string? GitCommit { get; set; }
    public bool GitDirty { get; set; }
    public long Seed { get; set; }
    public string Host { get; set; } = "";

    /// <summary>The process running (or last running) the run on <see cref="Host"/>; see RunProcess.</summary>
    public int? Pid { get; set; }
    public long? PidStartTicks { get; set; }
    public string Os { get; set; } = "";
    public string DotnetVersion { get; set; } = "";
    public string? TorchVersion { get; set; }
    public string Device { get; set; } = "";
    public string DatasetHashesJson { get; set; } = "{}";
    public string CommandLine { get; set; } = "";
    public DateTime StartedAt { get; set; }
    public DateTime? EndedAt { get; set; }
    public DateTime HeartbeatAt { get; set; }
    public string SummaryJson { get; set; } = "{}";
    public string? Error { get; set; }
    public string? ParentId { get; set; }
    public string? InitFromId { get; set; }
    public string? RerunOfId { get; set; }

    /// <summary>Relative to the database's directory, so a copied runs/ folder still resolves.</summary>
    public string RunDir { get; set; } = "";
}
