// Creating, reading, listing and finishing runs: what `run`, `ls` and `show` rely on.
namespace Workbench.Tracking.Tests;

public class RunStoreTests : IDisposable
{
    private readonly TestDatabase _db;

    public RunStoreTests() : this(new TestDatabase()) { }

    protected RunStoreTests(TestDatabase db) => _db = db;

    public void Dispose() => _db.Dispose();

    [SkippableFact]
    public void A_new_run_gets_an_8_character_id_a_folder_beside_the_database_and_status_running()
    {
        using var store = _db.Open();

        var run = store.CreateRun(TestDatabase.Run());

        Assert.Matches("^[a-z0-9]{8}$", run.Id);
        Assert.Equal(Path.Combine(_db.Folder, "runs", run.Id), run.RunDir);
        Assert.True(Directory.Exists(run.RunDir));
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Equal(RunStatus.Running, run.EffectiveStatus);
        Assert.Null(run.EndedAt);
        Assert.Equal(_db.Clock.GetUtcNow().UtcDateTime, run.StartedAt);
    }

    [SkippableFact]
    public void Every_field_of_a_run_reads_back_as_written()
    {
        using var store = _db.Open();
        var parent = store.CreateRun(TestDatabase.Run());
        var spec = TestDatabase.Run() with
        {
            Tags = ["baseline", "wave1"],
            Notes = "first try",
            GitCommit = "abc123",
            GitDirty = true,
            Seed = 7,
            Device = "cuda:0",
            DatasetHashes = new Dictionary<string, string> { ["train-images-idx3-ubyte"] = "ff00" },
            CommandLine = "workbench run configs/mnist-mlp.yaml",
            RerunOfId = parent.Id,
            Host = "gpu-box",
        };

        var created = store.CreateRun(spec);
        var read = store.Get(created.Id);

        Assert.Equal(["baseline", "wave1"], read.Tags);
        Assert.Equal("first try", read.Notes);
        Assert.Equal(("abc123", true), (read.GitCommit, read.GitDirty));
        Assert.Equal(7, read.Seed);
        Assert.Equal("cuda:0", read.Device);
        Assert.Equal("1.13.1", read.TorchVersion);
        Assert.Equal("ff00", read.DatasetHashes["train-images-idx3-ubyte"]);
        Assert.Equal(spec.CommandLine, read.CommandLine);
        Assert.Equal(parent.Id, read.ParentId);
        Assert.Equal((null, parent.Id), (read.InitFromId, read.RerunOfId));
        Assert.Equal("gpu-box", read.Host);
        Assert.Equal(Environment.Version.ToString(), read.DotnetVersion);
        Assert.Equal(spec.ConfigJson, read.ConfigJson);
        Assert.Equal(("cfg0123", "grp0123"), (read.ConfigHash, read.GroupHash));
        Assert.Equal(("val/acc", MetricGoal.Max), (read.MetricName, read.MetricGoal));
        Assert.Equal(DateTimeKind.Utc, read.StartedAt.Kind);
        Assert.Equal(created.StartedAt, read.StartedAt);
    }

    [SkippableFact]
    public void Finishing_a_run_records_status_end_time_summary_and_error()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());
        _db.Clock.Advance(TimeSpan.FromMinutes(3));

        store.Finish(run.Id, RunStatus.Diverged,
            new Dictionary<string, double> { ["train/loss"] = double.NaN, ["best/val/acc"] = 0.91 }, "loss became NaN at step 120");

        var read = store.Get(run.Id);
        Assert.Equal(RunStatus.Diverged, read.Status);
        Assert.Equal(run.StartedAt.AddMinutes(3), read.EndedAt);
        Assert.True(double.IsNaN(read.Summary["train/loss"]));
        Assert.Equal(0.91, read.Summary["best/val/acc"]);
        Assert.Equal("loss became NaN at step 120", read.Error);
    }

    [SkippableFact]
    public void A_reopened_run_is_running_again_with_its_end_time_and_error_cleared()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());
        store.Finish(run.Id, RunStatus.Killed, null, "interrupted");

        Assert.True(store.TryReopen(run.Id));

        var read = store.Get(run.Id);
        Assert.Equal(RunStatus.Running, read.Status);
        Assert.Null(read.EndedAt);
        Assert.Null(read.Error);
    }

    [SkippableTheory]
    [InlineData(RunStatus.Finished)]
    [InlineData(RunStatus.Diverged)]
    public void A_finished_or_diverged_run_is_not_reopened(RunStatus status)
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());
        store.Finish(run.Id, status, null, null);

        Assert.False(store.TryReopen(run.Id));
        Assert.Equal(status, store.Get(run.Id).Status);
    }

    [SkippableFact]
    public void Updating_the_summary_replaces_it()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());

        store.UpdateSummary(run.Id, new Dictionary<string, double> { ["val/acc"] = 0.5 });
        store.UpdateSummary(run.Id, new Dictionary<string, double> { ["val/acc"] = 0.75, ["params"] = 178110 });

        Assert.Equal(new Dictionary<string, double> { ["val/acc"] = 0.75, ["params"] = 178110 }, store.Get(run.Id).Summary);
    }

    [SkippableFact]
    public void Listing_shows_newest_first_and_filters_by_status_and_name_glob()
    {
        using var store = _db.Open();
        var mlp = store.CreateRun(TestDatabase.Run("mnist-mlp"));
        _db.Clock.Advance(TimeSpan.FromSeconds(1));
        var cnn = store.CreateRun(TestDatabase.Run("mnist-cnn"));
        _db.Clock.Advance(TimeSpan.FromSeconds(1));
        var gpt = store.CreateRun(TestDatabase.Run("gpt-sotu"));
        store.Finish(cnn.Id, RunStatus.Finished, null, null);

        Assert.Equal([gpt.Id, cnn.Id, mlp.Id], store.List().Select(r => r.Id));
        Assert.Equal([cnn.Id, mlp.Id], store.List(nameGlob: "mnist-*").Select(r => r.Id));
        Assert.Equal([cnn.Id], store.List(status: "finished").Select(r => r.Id));
        Assert.Equal([gpt.Id, mlp.Id], store.List(status: "running").Select(r => r.Id));
        Assert.Empty(store.List(status: "failed", nameGlob: "mnist-?lp"));
    }

    [SkippableFact]
    public void An_unknown_status_filter_is_a_clear_error()
    {
        using var store = _db.Open();

        var e = Assert.Throws<RunStoreException>(() => store.List(status: "done"));

        Assert.Contains("unknown run status 'done'", e.Message);
    }

    [SkippableFact]
    public void An_unknown_id_throws_run_not_found_naming_the_id()
    {
        using var store = _db.Open();

        var e = Assert.Throws<RunNotFoundException>(() => store.Get("zzzzzzzz"));

        Assert.Contains("'zzzzzzzz'", e.Message);
        Assert.Throws<RunNotFoundException>(() => store.Finish("zzzzzzzz", RunStatus.Failed, null, "x"));
    }

    [SkippableFact]
    public void A_config_that_is_not_a_json_object_is_refused()
    {
        using var store = _db.Open();

        Assert.Throws<ArgumentException>(() => store.CreateRun(TestDatabase.Run() with { ConfigJson = "[1, 2]" }));
        Assert.Empty(store.List());
    }

    [SkippableFact]
    public void Runs_survive_closing_and_reopening_the_store()
    {
        string id;
        using (var store = _db.Open())
        {
            id = store.CreateRun(TestDatabase.Run()).Id;
        }

        using var reopened = _db.Open();

        Assert.Equal("mnist-mlp", reopened.Get(id).Name);
    }
}

/// <summary>The same tests on PostgreSQL (skipped where the test server cannot start).</summary>
public sealed class RunStoreTestsOnPostgres() : RunStoreTests(TestDatabase.Postgres());
