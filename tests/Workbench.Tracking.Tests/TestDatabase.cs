// A run store for one test, deleted after it, with a clock tests can move: a SQLite file in a fresh
// temporary folder, or (Postgres()) a fresh database on the test PostgreSQL server whose run folders
// go to the same place, <folder>/runs, so that tests assert the same paths on both.
using Workbench.Tests.Shared;
using Workbench.Tracking;

namespace Workbench.Tracking.Tests;

public sealed class TestDatabase : IDisposable
{
    private readonly PostgresServer? _server;

    public TestDatabase()
    {
        Folder = Path.Combine(Path.GetTempPath(), "wb-tracking-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        DbPath = Path.Combine(Folder, "runs", "workbench.db");
        Location = DbPath;
    }

    private TestDatabase(PostgresServer server) : this()
    {
        _server = server;
        DbPath = server.CreateDatabase();
        Location = new StoreLocation(DbPath, Path.Combine(Folder, "runs"));
    }

    /// <summary>A fresh database on the test server; skips the test where PostgreSQL is not available.</summary>
    public static TestDatabase Postgres() => new(PostgresServer.Require());

    public string Folder { get; }

    /// <summary>The SQLite file, or the server database's URL.</summary>
    public string DbPath { get; }

    public StoreLocation Location { get; }

    public ManualClock Clock { get; } = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public RunStore Open() => RunStore.Open(Location, Clock);

    /// <summary>Runs SQL on the store's database behind its back (@-named parameters); returns the rows changed.</summary>
    public int Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using System.Data.Common.DbConnection connection = _server is null
            ? new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DbPath};Pooling=False")
            : new Npgsql.NpgsqlConnection(Schema.PostgresUrl.Parse(DbPath).ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _server?.DropDatabase(DbPath);
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A writer process may still hold the file for a moment; the temp folder is cleaned later.
        }
    }

    public static NewRun Run(string name = "mnist-mlp", string metric = "val/acc", MetricGoal goal = MetricGoal.Max) => new()
    {
        Name = name,
        ConfigJson = """{"name":"mnist-mlp","seed":1337,"model":{"kind":"mlp","hidden":[200,100]}}""",
        ConfigHash = "cfg0123",
        GroupHash = "grp0123",
        MetricName = metric,
        MetricGoal = goal,
        Seed = 1337,
        Device = "cpu",
        TorchVersion = "1.13.1",
    };
}

/// <summary>A clock that stands still until a test moves it; timers still run in real time.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
