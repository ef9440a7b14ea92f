// Which operating-system process runs a run, and whether it still lives: a run killed with SIGKILL
// (or lost to the OOM killer) never marks itself killed, but its pid tells at once that it is gone.
// A pid alone can be reused by a later process, so the process's start time is kept beside it.
using System.Globalization;

namespace Workbench.Tracking;

/// <param name="Host">The machine name the process runs on.</param>
/// <param name="Pid">Its process id.</param>
/// <param name="StartTicks">
/// When it started, in clock ticks since boot (field 22 of /proc/&lt;pid&gt;/stat); null where /proc is
/// missing (not Linux), which leaves the heartbeat as the only sign of life.
/// </param>
public sealed record RunProcess(string Host, int Pid, long? StartTicks)
{
    /// <summary>The environment variable naming this machine in the store, where its hostname will not do.</summary>
    public const string HostVariable = "WORKBENCH_HOST";

    /// <summary>
    /// This process. Its host is the machine's name, or $WORKBENCH_HOST: machines that share a store must
    /// have distinct names (containers often share one), since a pid is only checked on its own host.
    /// </summary>
    public static RunProcess Current { get; } = new(
        Environment.GetEnvironmentVariable(HostVariable) is { Length: > 0 } host ? host : Environment.MachineName,
        Environment.ProcessId, StartTicksOf(Environment.ProcessId));

    /// <summary>
    /// True when this process is known to have ended: it ran on this host and its pid is gone, is a
    /// zombie, or now belongs to a process that started at another time. False when it lives or when
    /// this machine cannot tell (another host, or no start time to compare).
    /// </summary>
    public bool IsGone()
    {
        if (Host != Current.Host || StartTicks is not { } recorded) return false;
        return StartTicksOf(Pid) != recorded;
    }

    /// <summary>The start time of a live process, or null when there is no such process (or it is a zombie).</summary>
    internal static long? StartTicksOf(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) state ppid ... starttime ...": comm may hold spaces and parentheses, so count the
        // fields after its last ')'. There, field 3 (state) is index 0 and field 22 (starttime) index 19.
        var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20 || fields[0] is "Z" or "X") return null;
        return long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
    }
}
