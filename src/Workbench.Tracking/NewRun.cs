// What a caller knows about a run before it starts: everything needed to reproduce it later.
namespace Workbench.Tracking;

/// <summary>
/// The description of a run to create. The store adds the id, run_dir, status, times and, when left
/// null, the host, OS and .NET version of this process.
/// </summary>
public sealed record NewRun
{
    public required string Name { get; init; }

    /// <summary>The fully resolved spec as a JSON object.</summary>
    public required string ConfigJson { get; init; }

    public required string ConfigHash { get; init; }

    public required string GroupHash { get; init; }

    /// <summary>The primary metric (for example <c>val/acc</c>), which name@best ranks by.</summary>
    public required string MetricName { get; init; }

    public required MetricGoal MetricGoal { get; init; }

    public long Seed { get; init; }

    /// <summary><c>cpu</c> or <c>cuda:N</c>.</summary>
    public required string Device { get; init; }

    /// <summary>The libtorch version as libtorch reports it; null when unknown.</summary>
    public string? TorchVersion { get; init; }

    public string? GitCommit { get; init; }

    public bool GitDirty { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string Notes { get; init; } = "";

    /// <summary>Dataset file name to SHA-256, so a rerun can tell whether it saw the same data.</summary>
    public IReadOnlyDictionary<string, string> DatasetHashes { get; init; } = new Dictionary<string, string>();

    public string CommandLine { get; init; } = "";

    /// <summary>The run whose weights this one starts from (train.init_from), or null.</summary>
    public string? InitFromId { get; init; }

    /// <summary>The run this one reruns, or null.</summary>
    public string? RerunOfId { get; init; }

    /// <summary>The run this one started from: its init_from, else the run it reruns.</summary>
    public string? ParentId => InitFromId ?? RerunOfId;

    public string? Host { get; init; }

    public string? Os { get; init; }

    public string? DotnetVersion { get; init; }
}
