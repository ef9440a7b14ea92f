// The JSON shapes of `workbench show --json` and `workbench ls --json` (docs/design.md):
// snake_case keys, ISO 8601 UTC times, the config as a JSON object, the effective status.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Tracking;

public static class RunJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The `show --json` text of one run.</summary>
    public static string Show(RunRecord run) => ShowObject(run).ToJsonString(Indented);

    /// <summary>The `ls --json` text: an array of <see cref="ListItem"/> objects.</summary>
    public static string List(IEnumerable<RunRecord> runs) =>
        new JsonArray(runs.Select(r => (JsonNode)ListItem(r)).ToArray()).ToJsonString(Indented);

    /// <summary>Everything stored about a run.</summary>
    public static JsonObject ShowObject(RunRecord run) => new()
    {
        ["id"] = run.Id,
        ["name"] = run.Name,
        ["status"] = run.EffectiveStatus.ToName(),
        ["config"] = JsonNode.Parse(run.ConfigJson),
        ["config_hash"] = run.ConfigHash,
        ["group_hash"] = run.GroupHash,
        ["metric"] = new JsonObject { ["name"] = run.MetricName, ["goal"] = run.MetricGoal.ToName() },
        ["git"] = new JsonObject { ["commit"] = run.GitCommit, ["dirty"] = run.GitDirty },
        ["seed"] = run.Seed,
        ["device"] = run.Device,
        ["torch_version"] = run.TorchVersion,
        ["started_at"] = Time(run.StartedAt),
        ["ended_at"] = run.EndedAt is { } ended ? Time(ended) : null,
        ["heartbeat_at"] = Time(run.HeartbeatAt),
        ["summary"] = Summary(run.Summary),
        ["run_dir"] = run.RunDir,
        ["parent"] = run.ParentId,
        ["stage"] = run.Stage,
        ["init_from"] = run.InitFromId,
        ["rerun_of"] = run.RerunOfId,
        ["tags"] = new JsonArray(run.Tags.Select(t => (JsonNode?)t).ToArray()),
        ["notes"] = run.Notes,
        ["error"] = run.Error,
        ["host"] = run.Host,
        ["pid"] = run.Process?.Pid,
        ["os"] = run.Os,
        ["dotnet_version"] = run.DotnetVersion,
        ["dataset_hashes"] = new JsonObject(run.DatasetHashes.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value))),
        ["command_line"] = run.CommandLine,
    };

    /// <summary>One line of `ls`: id, name, status, times, tags and the primary metric's summary value.</summary>
    public static JsonObject ListItem(RunRecord run) => new()
    {
        ["id"] = run.Id,
        ["name"] = run.Name,
        ["status"] = run.EffectiveStatus.ToName(),
        ["started_at"] = Time(run.StartedAt),
        ["ended_at"] = run.EndedAt is { } ended ? Time(ended) : null,
        ["group_hash"] = run.GroupHash,
        ["tags"] = new JsonArray(run.Tags.Select(t => (JsonNode?)t).ToArray()),
        ["metric"] = new JsonObject
        {
            ["name"] = run.MetricName,
            ["goal"] = run.MetricGoal.ToName(),
            ["value"] = run.Summary.TryGetValue(run.MetricName, out var value) ? Number(value) : null,
        },
        ["parent"] = run.ParentId,
        ["stage"] = run.Stage,
    };

    /// <summary>ISO 8601 UTC with milliseconds, e.g. 2025-01-31T12:00:00.123Z.</summary>
    public static string Time(DateTime utc) =>
        utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Summary(IReadOnlyDictionary<string, double> summary) =>
        new(summary.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Number(p.Value))));

    // JSON has no NaN or Infinity; write them as the strings .NET and Python's json module read back.
    private static JsonNode? Number(double value) => double.IsFinite(value)
        ? JsonValue.Create(value)
        : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));
}
