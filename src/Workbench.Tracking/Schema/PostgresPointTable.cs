// Metric points into PostgreSQL: binary COPY, the server's fastest way in, one COPY per transaction.
// A COPY that meets a key and step already stored (a value logged again) fails whole and inserts
// nothing; that batch then goes in as one INSERT from four arrays (unnest) with ON CONFLICT, which
// gives SQLite's INSERT OR REPLACE (the last value wins) at about half COPY's speed.
using Npgsql;
using NpgsqlTypes;

namespace Workbench.Tracking.Schema;

internal sealed class PostgresPointTable : MetricPointTable
{
    private readonly PostgresDatabase _database;
    private readonly string _runId;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlCommand _insert;

    public PostgresPointTable(PostgresDatabase database, string runId)
    {
        _database = database;
        _runId = runId;
        _connection = database.Open();
        _insert = new NpgsqlCommand("""
            INSERT INTO metric_points (series_id, step, value, wall_time)
            SELECT * FROM unnest(@series, @step, @value, @wall)
            ON CONFLICT (series_id, step) DO UPDATE SET value = excluded.value, wall_time = excluded.wall_time;
            """, _connection);
        _insert.Parameters.Add(new NpgsqlParameter("series", NpgsqlDbType.Array | NpgsqlDbType.Bigint));
        _insert.Parameters.Add(new NpgsqlParameter("step", NpgsqlDbType.Array | NpgsqlDbType.Bigint));
        _insert.Parameters.Add(new NpgsqlParameter("value", NpgsqlDbType.Array | NpgsqlDbType.Double));
        _insert.Parameters.Add(new NpgsqlParameter("wall", NpgsqlDbType.Array | NpgsqlDbType.Double));
        _insert.Prepare();
    }

    // Each transaction is one round trip to the server, however many points it carries.
    public override int RowsPerTransaction => 5000;

    public override IReadOnlyDictionary<string, long> ResolveSeries(IReadOnlyList<string> keys) => _database.Retry(() =>
    {
        using var transaction = _connection.BeginTransaction();
        using var command = new NpgsqlCommand("""
            INSERT INTO metric_series (run_id, key) SELECT @run, unnest(@keys) ON CONFLICT (run_id, key) DO NOTHING;
            SELECT key, id FROM metric_series WHERE run_id = @run AND key = ANY(@keys);
            """, _connection, transaction);
        command.Parameters.AddWithValue("run", _runId);
        command.Parameters.AddWithValue("keys", keys.ToArray());
        var resolved = new Dictionary<string, long>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                resolved[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        transaction.Commit();
        return resolved;
    });

    public override void WriteTransaction(List<MetricPoint> points, int start, int end, IReadOnlyDictionary<string, long> seriesIds)
    {
        try
        {
            _database.Retry(() => Copy(points, start, end, seriesIds));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            Upsert(points, start, end, seriesIds);
        }
    }

    private void Copy(List<MetricPoint> points, int start, int end, IReadOnlyDictionary<string, long> seriesIds)
    {
        using var copy = _connection.BeginBinaryImport(
            "COPY metric_points (series_id, step, value, wall_time) FROM STDIN (FORMAT BINARY)");
        for (var i = start; i < end; i++)
        {
            var point = points[i];
            copy.StartRow();
            copy.Write(seriesIds[point.Key], NpgsqlDbType.Bigint);
            copy.Write(point.Step, NpgsqlDbType.Bigint);
            if (double.IsNaN(point.Value)) copy.WriteNull();
            else copy.Write(point.Value, NpgsqlDbType.Double);
            copy.Write(point.WallTime, NpgsqlDbType.Double);
        }
        copy.Complete();
    }

    private void Upsert(List<MetricPoint> points, int start, int end, IReadOnlyDictionary<string, long> seriesIds)
    {
        // One statement may not touch a row twice (ON CONFLICT would fail), so keep each key and
        // step's last value, as SQLite's INSERT OR REPLACE does across its statements.
        var last = new Dictionary<(long Series, long Step), int>(end - start);
        for (var i = start; i < end; i++)
        {
            last[(seriesIds[points[i].Key], points[i].Step)] = i;
        }
        var series = new long[last.Count];
        var steps = new long[last.Count];
        var values = new double?[last.Count];
        var wall = new double[last.Count];
        var row = 0;
        foreach (var ((id, step), i) in last)
        {
            series[row] = id;
            steps[row] = step;
            values[row] = double.IsNaN(points[i].Value) ? null : points[i].Value;
            wall[row] = points[i].WallTime;
            row++;
        }
        _insert.Parameters["series"].Value = series;
        _insert.Parameters["step"].Value = steps;
        _insert.Parameters["value"].Value = values;
        _insert.Parameters["wall"].Value = wall;
        // One statement is one transaction; a deadlock or serialization failure repeats it whole.
        _database.Retry(() => _insert.ExecuteNonQuery());
    }

    public override void Dispose()
    {
        _insert.Dispose();
        _connection.Dispose();
    }
}
