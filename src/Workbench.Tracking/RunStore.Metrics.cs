// Reading and trimming a run's metric points, in SQL both providers accept. Writing goes through MetricWriter.
using System.Data.Common;
using Workbench.Tracking.Schema;

namespace Workbench.Tracking;

public sealed partial class RunStore
{
    /// <summary>A buffered writer for the run's metric points, flushed at least every second.</summary>
    public MetricWriter OpenMetricWriter(string runId)
    {
        Get(runId);
        return new MetricWriter(_database, runId, _clock);
    }

    /// <summary>The run's metric keys, sorted.</summary>
    public IReadOnlyList<string> GetMetricKeys(string runId)
    {
        Get(runId);
        // Sorted here, not by ORDER BY: a server's collation may order text otherwise than SQLite's bytes.
        return Query(runId,
            "SELECT key FROM metric_series s WHERE run_id = @run AND EXISTS (SELECT 1 FROM metric_points WHERE series_id = s.id);", _ => { }, reader =>
        {
            var keys = new List<string>();
            while (reader.Read())
            {
                keys.Add(reader.GetString(0));
            }
            return keys.Order(StringComparer.Ordinal).ToList();
        });
    }

    /// <summary>
    /// Each requested key's points in step order (all keys when <paramref name="keys"/> is null).
    /// A key with no points is left out.
    /// </summary>
    public IReadOnlyDictionary<string, MetricSeries> GetMetrics(string runId, IEnumerable<string>? keys = null)
    {
        Get(runId);
        var wanted = keys?.Distinct().ToList();
        var keyFilter = wanted is null ? "" : $"AND s.key IN ({string.Join(", ", wanted.Select((_, i) => $"@k{i}"))})";
        var bind = (DbCommand command) =>
        {
            for (var i = 0; i < wanted?.Count; i++)
            {
                StoreDatabase.Bind(command, $"@k{i}", wanted[i]);
            }
        };
        var sql = $"""
            SELECT s.key, p.step, p.value, p.wall_time
            FROM metric_series s JOIN metric_points p ON p.series_id = s.id
            WHERE s.run_id = @run {keyFilter}
            ORDER BY s.key, p.step;
            """;
        return Query(runId, sql, bind, reader =>
        {
            var byKey = new Dictionary<string, (List<long> Steps, List<double> Values, List<double> Wall)>();
            while (reader.Read())
            {
                var key = reader.GetString(0);
                if (!byKey.TryGetValue(key, out var series))
                {
                    byKey[key] = series = ([], [], []);
                }
                series.Steps.Add(reader.GetInt64(1));
                series.Values.Add(reader.IsDBNull(2) ? double.NaN : reader.GetDouble(2)); // NULL is a stored NaN
                series.Wall.Add(reader.GetDouble(3));
            }
            return byKey.ToDictionary(
                p => p.Key,
                p => new MetricSeries(p.Value.Steps.ToArray(), p.Value.Values.ToArray(), p.Value.Wall.ToArray()));
        });
    }

    /// <summary>Deletes every point with a step after <paramref name="step"/> (for resume). Returns how many.</summary>
    public int DeleteMetricsAfter(string runId, long step)
    {
        Get(runId);
        return Query(runId, 
            "DELETE FROM metric_points WHERE series_id IN (SELECT id FROM metric_series WHERE run_id = @run) AND step > @step;",
            command => StoreDatabase.Bind(command, "@step", step), reader => reader.RecordsAffected);
    }

    private T Query<T>(string runId, string sql, Action<DbCommand> bind, Func<DbDataReader, T> read) =>
        _database.Retry(() =>
        {
            using var connection = _database.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            StoreDatabase.Bind(command, "@run", runId);
            bind(command);
            using var reader = command.ExecuteReader();
            return read(reader);
        });
}
