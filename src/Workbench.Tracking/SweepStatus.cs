// Where a sweep and each of its trials stand, and their lowercase names as stored and printed.
namespace Workbench.Tracking;

/// <summary>A sweep is running until its budget is spent or its search has no trial left, then finished.</summary>
public enum SweepStatus
{
    Running,
    Finished,
}

/// <summary>
/// A trial waits (pending: drawn, or put back to be retried), runs in one process, and ends completed
/// (every seed finished), pruned (stopped early at a rung) or failed (a seed failed or diverged, or its
/// process died more often than the sweep retries).
/// </summary>
public enum TrialStatus
{
    Pending,
    Running,
    Completed,
    Pruned,
    Failed,
}

public static class SweepStatusNames
{
    public static string ToName(this SweepStatus status) => status switch
    {
        SweepStatus.Running => "running",
        SweepStatus.Finished => "finished",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown sweep status"),
    };

    public static SweepStatus Parse(string name) =>
        Enum.GetValues<SweepStatus>().Cast<SweepStatus?>().FirstOrDefault(s => s!.Value.ToName() == name)
            ?? throw new ArgumentException($"unknown sweep status '{name}'; expected running or finished", nameof(name));
}

public static class TrialStatusNames
{
    public static string ToName(this TrialStatus status) => status switch
    {
        TrialStatus.Pending => "pending",
        TrialStatus.Running => "running",
        TrialStatus.Completed => "completed",
        TrialStatus.Pruned => "pruned",
        TrialStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown trial status"),
    };

    public static TrialStatus Parse(string name) =>
        Enum.GetValues<TrialStatus>().Cast<TrialStatus?>().FirstOrDefault(s => s!.Value.ToName() == name)
            ?? throw new ArgumentException(
                $"unknown trial status '{name}'; expected pending, running, completed, pruned or failed", nameof(name));

    /// <summary>Completed, pruned and failed trials are done: no process will touch them again.</summary>
    public static bool IsDone(this TrialStatus status) => status is TrialStatus.Completed or TrialStatus.Pruned or TrialStatus.Failed;
}
