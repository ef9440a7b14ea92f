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
        string id;
        using (var v1 = RunStore.Open(_db.DbPath, [SchemaSteps.All[0]], _db.Clock))
        {
            id = v1.CreateRun(TestDatabase.Run()).Id;
        }
        var v2Step = new SchemaStep(2, "runs.priority", "ALTER TABLE runs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;");

        using (RunStore.Open(_db.DbPath, [SchemaSteps.All[0], v2Step], _db.Clock))
        {
        }

        Assert.Equal(2L, Scalar("SELECT max(version) FROM schema_version;"));
        Assert.Equal(0L, Scalar($"SELECT priority FROM runs WHERE id = '{id}';"));
        Assert.Equal("runs.priority", Scalar("SELECT description FROM schema_version WHERE version = 2;"));
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

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_db.DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
