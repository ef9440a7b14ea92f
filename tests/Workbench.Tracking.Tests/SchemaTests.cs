// The schema is created and versioned from code: old databases are upgraded step by step,
// databases from a newer workbench are refused with a clear message.
using Microsoft.Data.Sqlite;
using Workbench.Tracking.Schema;

namespace Workbench.Tracking.Tests;

public sealed class SchemaTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void A_new_database_is_created_at_the_current_version_in_wal_mode()
    {
        using (_db.Open())
        {
        }

        Assert.Equal((long)SchemaSteps.Current, Scalar("SELECT max(version) FROM schema_version;"));
        Assert.Equal("wal", Scalar("PRAGMA journal_mode;"));
    }

    [Fact]
    public void An_empty_version_0_database_is_upgraded_to_the_current_schema()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_db.DbPath)!);
        Scalar("CREATE TABLE unrelated (x INTEGER); SELECT 0;"); // a SQLite file without our tables

        using var store = _db.Open();

        Assert.Equal((long)SchemaSteps.Current, Scalar("SELECT max(version) FROM schema_version;"));
        Assert.Equal("mnist-mlp", store.Get(store.CreateRun(TestDatabase.Run()).Id).Name);
    }

    [Fact]
    public void An_older_database_is_upgraded_by_the_steps_after_its_version_and_keeps_its_runs()
    {
        var id = CreateVersion1DatabaseWithARun();
        var v3Step = new SchemaStep(3, "runs.priority", "ALTER TABLE runs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;");

        using (RunStore.Open(_db.DbPath, [.. SchemaSteps.All.Take(2), v3Step], _db.Clock))
        {
        }

        Assert.Equal(3L, Scalar("SELECT max(version) FROM schema_version;"));
        Assert.Equal(0L, Scalar($"SELECT priority FROM runs WHERE id = '{id}';"));
        Assert.Equal("runs.priority", Scalar("SELECT description FROM schema_version WHERE version = 3;"));
        Assert.Equal(3L, Scalar("SELECT count(*) FROM schema_version;"));
    }

    [Fact]
    public void A_version_1_database_gains_the_process_columns_and_its_runs_are_judged_by_heartbeat_alone()
    {
        var old = CreateVersion1DatabaseWithARun();

        using var store = _db.Open();

        Assert.Equal((long)SchemaSteps.Current, Scalar("SELECT max(version) FROM schema_version;"));
        var upgraded = store.Get(old);
        Assert.Null(upgraded.Process);
        Assert.Equal(RunStatus.Running, upgraded.EffectiveStatus);
        Assert.Equal(RunProcess.Current, store.Get(store.CreateRun(TestDatabase.Run()).Id).Process);
        _db.Clock.Advance(RunStore.HeartbeatTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(RunStatus.Killed, store.Get(old).EffectiveStatus);
    }

    [Fact]
    public void A_version_2_database_splits_parent_into_init_from_and_rerun_of_by_the_command_that_made_the_run()
    {
        using (RunStore.Open(_db.DbPath, [.. SchemaSteps.All.Take(2)], _db.Clock))
        {
        }
        InsertRun("base0001", parent: null, "workbench run xor.yaml");
        InsertRun("tune0001", parent: "base0001", "workbench run xor.yaml --set train.init_from=base0001");
        InsertRun("again001", parent: "base0001", "workbench rerun base0001 --verify");

        using var store = _db.Open();

        Assert.Equal(("base0001", "base0001", (string?)null), (store.Get("tune0001").ParentId, store.Get("tune0001").InitFromId, store.Get("tune0001").RerunOfId));
        Assert.Equal(("base0001", (string?)null, "base0001"), (store.Get("again001").ParentId, store.Get("again001").InitFromId, store.Get("again001").RerunOfId));
        Assert.Equal(((string?)null, (string?)null), (store.Get("base0001").InitFromId, store.Get("base0001").RerunOfId));
    }

    [Fact]
    public void A_database_from_a_newer_workbench_is_refused_with_both_versions_named()
    {
        using (_db.Open())
        {
        }
        Scalar($"INSERT INTO schema_version VALUES ({SchemaSteps.Current + 5}, 'future', '2030-01-01'); SELECT 0;");

        var e = Assert.Throws<SchemaTooNewException>(() => _db.Open());

        Assert.Equal(SchemaSteps.Current + 5, e.DatabaseVersion);
        Assert.Equal(SchemaSteps.Current, e.SupportedVersion);
        Assert.Contains(_db.DbPath, e.Message);
        Assert.Contains("newer workbench", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_a_clear_error()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_db.DbPath)!);
        File.WriteAllText(_db.DbPath, "this is a text file, not SQLite, and it is long enough to have a header page......");

        var e = Assert.Throws<RunStoreException>(() => _db.Open());

        Assert.Contains(_db.DbPath, e.Message);
    }

    [Fact]
    public void A_folder_given_as_the_database_path_is_a_clear_error()
    {
        var e = Assert.Throws<RunStoreException>(() => RunStore.Open(_db.Folder));

        Assert.Contains("is a folder", e.Message);
    }

    // A database as version 1 left it, holding one running run with a fresh heartbeat.
    private string CreateVersion1DatabaseWithARun()
    {
        using (RunStore.Open(_db.DbPath, [SchemaSteps.All[0]], _db.Clock))
        {
        }
        InsertRun("old00001", parent: null, commandLine: "", running: true);
        return "old00001";
    }

    // A run row as versions 1 and 2 wrote it, in SQL because this build's RunStore writes the current
    // columns: finished (or running, with no end), heartbeat now.
    private void InsertRun(string id, string? parent, string commandLine, bool running = false)
    {
        var now = _db.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF");
        Scalar($"""
            INSERT INTO runs (id, name, status, config_json, config_hash, group_hash, metric_name, metric_goal,
                              tags_json, notes, git_commit, git_dirty, seed, host, os, dotnet_version, torch_version,
                              device, dataset_hashes_json, command_line, started_at, ended_at, heartbeat_at,
                              summary_json, error, parent_id, run_dir)
            VALUES ('{id}', 'mnist-mlp', '{(running ? "running" : "finished")}', '{"{}"}', 'c', 'g', 'val/acc', 'max', '[]', '', NULL, 0, 1,
                    'somewhere', 'linux', '10.0', '1.13.1', 'cpu', '{"{}"}', '{commandLine}', '{now}', {(running ? "NULL" : $"'{now}'")},
                    '{now}', '{"{}"}', NULL, {(parent is null ? "NULL" : $"'{parent}'")}, '{id}');
            SELECT 0;
            """);
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_db.DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
