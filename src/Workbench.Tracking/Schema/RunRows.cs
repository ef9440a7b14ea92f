// Conversions between stored rows and the public records, including the JSON-in-a-column fields.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workbench.Tracking.Schema;

internal static class RunRows
{
    // Diverged runs have NaN and infinite summary values; JSON has no literal for them.
    public static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static RunRecord ToRecord(RunRow row, string databaseDirectory, DateTime now, TimeSpan heartbeatTimeout)
    {
        var process = row.Pid is { } pid ? new RunProcess(row.Host, pid, row.PidStartTicks) : null;
        // A running row whose process died without saying so (SIGKILL, OOM, power cut) is killed.
        var dead = row.Status == RunStatus.Running && (now - row.HeartbeatAt > heartbeatTimeout || process?.IsGone() == true);
        return ToRecord(row, databaseDirectory, process, dead ? RunStatus.Killed : row.Status);
    }

    private static RunRecord ToRecord(RunRow row, string databaseDirectory, RunProcess? process, RunStatus effectiveStatus) => new()
    {
        Id = row.Id,
        Name = row.Name,
        Status = row.Status,
        EffectiveStatus = effectiveStatus,
        ConfigJson = row.ConfigJson,
        ConfigHash = row.ConfigHash,
        GroupHash = row.GroupHash,
        MetricName = row.MetricName,
        MetricGoal = row.MetricGoal,
        Tags = JsonSerializer.Deserialize<string[]>(row.TagsJson, Json) ?? [],
        Notes = row.Notes,
        GitCommit = row.GitCommit,
        GitDirty = row.GitDirty,
        Seed = row.Seed,
        Host = row.Host,
        Process = process,
        Os = row.Os,
        DotnetVersion = row.DotnetVersion,
        TorchVersion = row.TorchVersion,
        Device = row.Device,
        DatasetHashes = JsonSerializer.Deserialize<Dictionary<string, string>>(row.DatasetHashesJson, Json) ?? [],
        CommandLine = row.CommandLine,
        StartedAt = row.StartedAt,
        EndedAt = row.EndedAt,
        HeartbeatAt = row.HeartbeatAt,
        Summary = ParseSummary(row.SummaryJson),
        Error = row.Error,
        ParentId = row.ParentId,
        InitFromId = row.InitFromId,
        RerunOfId = row.RerunOfId,
        RunDir = Path.GetFullPath(Path.Combine(databaseDirectory, row.RunDir)),
    };

    public static Dictionary<string, double> ParseSummary(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, double>>(json, Json) ?? [];

    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Json);
}
