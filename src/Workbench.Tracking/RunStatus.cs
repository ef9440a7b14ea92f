// The lifecycle states of a run, and their lowercase names as stored and printed.
namespace Workbench.Tracking;

/// <summary>Where a run stands. <see cref="Killed"/> also covers a run whose process died or stopped beating.</summary>
public enum RunStatus
{
    Running,
    Finished,
    Failed,
    Diverged,
    Killed,

    /// <summary>Stopped early by a sweep's pruning rule at a rung step (its error says which).</summary>
    Pruned,
}

/// <summary>The names the database, the CLI and JSON use: running, finished, failed, diverged, killed, pruned.</summary>
public static class RunStatusNames
{
    public static string ToName(this RunStatus status) => status switch
    {
        RunStatus.Running => "running",
        RunStatus.Finished => "finished",
        RunStatus.Failed => "failed",
        RunStatus.Diverged => "diverged",
        RunStatus.Killed => "killed",
        RunStatus.Pruned => "pruned",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown run status"),
    };

    /// <summary>Parses a status name; throws <see cref="ArgumentException"/> naming the valid ones.</summary>
    public static RunStatus Parse(string name) => TryParse(name, out var status)
        ? status
        : throw new ArgumentException(
            $"unknown run status '{name}'; expected one of running, finished, failed, diverged, killed, pruned", nameof(name));

    public static bool TryParse(string name, out RunStatus status)
    {
        foreach (var candidate in Enum.GetValues<RunStatus>())
        {
            if (string.Equals(candidate.ToName(), name, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }
}
