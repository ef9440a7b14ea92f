// The `show --json` and `ls --json` shapes that scripts and reports depend on.
using System.Text.Json;

namespace Workbench.Tracking.Tests;

public class RunJsonTests : IDisposable
{
    private readonly TestDatabase _db;

    public RunJsonTests() : this(new TestDatabase()) { }

    protected RunJsonTests(TestDatabase db) => _db = db;

    public void Dispose() => _db.Dispose();

    [SkippableFact]
    public void Show_json_has_the_contract_fields_with_snake_case_keys_and_utc_times()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run() with { GitCommit = "abc123", GitDirty = true });

        using var json = JsonDocument.Parse(RunJson.Show(store.Get(run.Id)));
        var root = json.RootElement;

        Assert.Equal(run.Id, root.GetProperty("id").GetString());
        Assert.Equal("mnist-mlp", root.GetProperty("name").GetString());
        Assert.Equal("running", root.GetProperty("status").GetString());
        Assert.Equal(1337, root.GetProperty("config").GetProperty("seed").GetInt32());
        Assert.Equal("cfg0123", root.GetProperty("config_hash").GetString());
        Assert.Equal("grp0123", root.GetProperty("group_hash").GetString());
        Assert.Equal("abc123", root.GetProperty("git").GetProperty("commit").GetString());
        Assert.True(root.GetProperty("git").GetProperty("dirty").GetBoolean());
        Assert.Equal(1337, root.GetProperty("seed").GetInt64());
        Assert.Equal("cpu", root.GetProperty("device").GetString());
        Assert.Equal("1.13.1", root.GetProperty("torch_version").GetString());
        Assert.Equal("2025-03-01T12:00:00.000Z", root.GetProperty("started_at").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("ended_at").ValueKind);
        Assert.Equal(JsonValueKind.Object, root.GetProperty("summary").ValueKind);
        Assert.Equal(run.RunDir, root.GetProperty("run_dir").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("parent").ValueKind);
    }

    [SkippableFact]
    public void Show_json_of_a_finished_run_has_its_end_time_and_summary_including_non_finite_values()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());
        _db.Clock.Advance(TimeSpan.FromSeconds(90.5));
        store.Finish(run.Id, RunStatus.Diverged,
            new Dictionary<string, double> { ["val/acc"] = 0.25, ["train/loss"] = double.PositiveInfinity }, "diverged");

        using var json = JsonDocument.Parse(RunJson.Show(store.Get(run.Id)));
        var root = json.RootElement;

        Assert.Equal("diverged", root.GetProperty("status").GetString());
        Assert.Equal("2025-03-01T12:01:30.500Z", root.GetProperty("ended_at").GetString());
        Assert.Equal(0.25, root.GetProperty("summary").GetProperty("val/acc").GetDouble());
        Assert.Equal("Infinity", root.GetProperty("summary").GetProperty("train/loss").GetString());
    }

    [SkippableFact]
    public void Ls_json_is_an_array_of_runs_with_id_name_status_and_start_time()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());
        _db.Clock.Advance(TimeSpan.FromMinutes(1));

        using var json = JsonDocument.Parse(RunJson.List(store.List()));

        var item = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(run.Id, item.GetProperty("id").GetString());
        Assert.Equal("mnist-mlp", item.GetProperty("name").GetString());
        Assert.Equal("killed", item.GetProperty("status").GetString()); // its heartbeat went stale
        Assert.Equal("2025-03-01T12:00:00.000Z", item.GetProperty("started_at").GetString());
    }
}

/// <summary>The same tests on PostgreSQL (skipped where the test server cannot start).</summary>
public sealed class RunJsonTestsOnPostgres() : RunJsonTests(TestDatabase.Postgres());
