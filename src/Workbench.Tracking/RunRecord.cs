// A stored run as read back: the row's fields plus the status a user should see.
namespace Workbench.Tracking;

/// <summary>
/// One run. <see cref="Status"/> is what was written; <see cref="EffectiveStatus"/> is what to show:
/// a <c>running</c> run is killed when its process on this host is gone (<see cref="RunProcess.IsGone"/>)
/// or its heartbeat is older than <see cref="RunStore.HeartbeatTimeout"/>.
/// </summary>
public sealed record RunRecord
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required RunStatus Status { get; init; }

    public required RunStatus EffectiveStatus { get; init; }

    public required string ConfigJson { get; init; }

    public required string ConfigHash { get; init; }

    public required string GroupHash { get; init; }

    public required string MetricName { get; init; }

    public required MetricGoal MetricGoal { get; init; }

    public required IReadOnlyList<string> Tags { get; init; }

    public required string Notes { get; init; }

    public string? GitCommit { get; init; }

    public required bool GitDirty { get; init; }

    public required long Seed { get; init; }

    public required string Host { get; init; }

    /// <summary>The process that runs the run, or ran it last; null for runs recorded before the store kept it.</summary>
    public RunProcess? Process { get; init; }

    public required string Os { get; init; }

    public required string DotnetVersion { get; init; }

    public string? TorchVersion { get; init; }

    public required string Device { get; init; }

    public required IReadOnlyDictionary<string, string> DatasetHashes { get; init; }

    public required string CommandLine { get; init; }

    /// <summary>UTC.</summary>
    public required DateTime StartedAt { get; init; }

    /// <summary>UTC; null while running.</summary>
    public DateTime? EndedAt { get; init; }

    /// <summary>UTC time of the last heartbeat.</summary>
    public required DateTime HeartbeatAt { get; init; }

    /// <summary>Final and best/ metric values, step_ms, params, ... (docs/design.md, "show --json").</summary>
    public required IReadOnlyDictionary<string, double> Summary { get; init; }

    public string? Error { get; init; }

    /// <summary>The run this one started from: its init_from, else the run it reruns (null for neither).</summary>
    public string? ParentId { get; init; }

    /// <summary>The run whose weights this one started from (train.init_from), or null.</summary>
    public string? InitFromId { get; init; }

    /// <summary>The run this one is a rerun of (`workbench rerun`), or null.</summary>
    public string? RerunOfId { get; init; }

    /// <summary>The training stage its spec names (train.stage), or null where the config has none.</summary>
    public string? Stage => System.Text.Json.Nodes.JsonNode.Parse(ConfigJson)?["train"]?["stage"]?.GetValue<string>();

    /// <summary>
    /// The absolute path of the run's folder: &lt;directory of the database&gt;/&lt;id&gt;, or on a server
    /// store &lt;runs folder of the machine that ran it (<see cref="Host"/>)&gt;/&lt;id&gt;.
    /// </summary>
    public required string RunDir { get; init; }

    /// <summary>
    /// Null when the run's folder is on this machine; else why it is not, for a command that needs the
    /// run's files (checkpoints, tokenizer): a server store's run from another machine keeps them there.
    /// </summary>
    public string? FolderNotHere() =>
        Directory.Exists(RunDir) ? null
        : Host != RunProcess.Current.Host
            ? $"run {Id}'s files are on machine {Host} ({RunDir}), not on this one; run this command there, or give every machine --runs-dir on a shared disk"
            : $"run {Id}'s folder {RunDir} is missing";
}
