// Metric points into SQLite: statements prepared once and bound by index through SQLitePCL, since
// ADO.NET's per-row reader, parameter lookup by name and boxing cost more than the insert itself.
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Workbench.Tracking.Schema;

internal sealed class SqlitePointTable : MetricPointTable
{
    // Rows per INSERT statement: one multi-row statement does the per-statement work of SQLite and
    // of the native calls once per 64 points; the last few of a transaction go in one at a time.
    private const int RowsPerStatement = 64;

    private readonly SqliteDatabase _database;
    private readonly string _runId;
    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _insertOne, _insertMany;

    public SqlitePointTable(SqliteDatabase database, string runId)
    {
        _database = database;
        _runId = runId;
        _connection = database.Open();
        _insertOne = Prepare(1);
        _insertMany = Prepare(RowsPerStatement);
    }

    // 10x larger measured no faster (benchmarks/results/tracking.md), and smaller transactions keep
    // other processes' wait for the single write lock to a few ms.
    public override int RowsPerTransaction => 1000;

    public override IReadOnlyDictionary<string, long> ResolveSeries(IReadOnlyList<string> keys) => _database.Retry(() =>
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO metric_series (run_id, key) VALUES ($run, $key) ON CONFLICT (run_id, key) DO NOTHING;
            SELECT id FROM metric_series WHERE run_id = $run AND key = $key;
            """;
        command.Parameters.AddWithValue("$run", _runId);
        var key = command.Parameters.Add("$key", SqliteType.Text);
        var resolved = new Dictionary<string, long>();
        foreach (var name in keys)
        {
            key.Value = name;
            resolved[name] = (long)command.ExecuteScalar()!;
        }
        transaction.Commit();
        return resolved;
    });

    // BEGIN IMMEDIATE takes the write lock up front, so a busy database is waited on (busy_timeout)
    // before any row is written, and a retry repeats the whole transaction.
    public override void WriteTransaction(List<MetricPoint> points, int start, int end, IReadOnlyDictionary<string, long> seriesIds) =>
        _database.Retry(() =>
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            var i = start;
            for (; end - i >= RowsPerStatement; i += RowsPerStatement)
            {
                for (var row = 0; row < RowsPerStatement; row++)
                {
                    Bind(_insertMany, 4 * row, points[i + row], seriesIds);
                }
                Step(_insertMany);
            }
            for (; i < end; i++)
            {
                Bind(_insertOne, 0, points[i], seriesIds);
                Step(_insertOne);
            }
            transaction.Commit();
        });

    public override void Dispose()
    {
        _insertOne.Dispose();
        _insertMany.Dispose();
        _connection.Dispose();
    }

    private static void Bind(sqlite3_stmt insert, int offset, MetricPoint point, IReadOnlyDictionary<string, long> seriesIds)
    {
        raw.sqlite3_bind_int64(insert, offset + 1, seriesIds[point.Key]);
        raw.sqlite3_bind_int64(insert, offset + 2, point.Step);
        // SQLite would store a bound NaN as NULL anyway; say so explicitly.
        _ = double.IsNaN(point.Value) ? raw.sqlite3_bind_null(insert, offset + 3) : raw.sqlite3_bind_double(insert, offset + 3, point.Value);
        raw.sqlite3_bind_double(insert, offset + 4, point.WallTime);
    }

    private void Step(sqlite3_stmt insert)
    {
        var rc = raw.sqlite3_step(insert);
        raw.sqlite3_reset(insert);
        if (rc != raw.SQLITE_DONE)
        {
            Check(rc);
        }
    }

    private sqlite3_stmt Prepare(int rows)
    {
        var values = string.Join(", ", Enumerable.Repeat("(?, ?, ?, ?)", rows));
        Check(raw.sqlite3_prepare_v2(_connection.Handle,
            $"INSERT OR REPLACE INTO metric_points (series_id, step, value, wall_time) VALUES {values};", out var insert));
        return insert;
    }

    // SQLite status codes become SqliteExceptions here, as Microsoft.Data.Sqlite does for its own calls.
    private void Check(int rc) => SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
}
