// Buffers a run's metric points in memory and writes them in batched transactions of prepared
// inserts: from a background thread at least every second (a crash loses about a second of points),
// on Flush() and on Dispose(). Log() never touches the database, so the training loop never waits on it.
// The inserts are SQLite statements prepared once and bound by index through SQLitePCL: ADO.NET's
// per-row reader, parameter lookup by name and boxing cost more than the insert itself.
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Workbench.Tracking.Schema;

namespace Workbench.Tracking;

public sealed class MetricWriter : IDisposable
{
    /// <summary>How often the background thread writes what was logged.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    // Rows per transaction: 10x larger measured no faster (benchmarks/results/tracking.md), and
    // smaller transactions keep other processes' wait for the single write lock to a few ms.
    private const int RowsPerTransaction = 1000;

    // Rows per INSERT statement: one multi-row statement does the per-statement work of SQLite and
    // of the native calls once per 64 points; the last few of a transaction go in one at a time.
    private const int RowsPerStatement = 64;

    // Wake the writer early when this many points are waiting, bounding memory at high log rates.
    private const int EarlyFlushPoints = 50_000;

    private readonly TimeProvider _clock;
    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _insertOne, _insertMany;
    private readonly Dictionary<string, long> _seriesIds = [];
    private readonly Thread _flusher;
    private readonly AutoResetEvent _wake = new(false);
    private readonly Lock _bufferLock = new();
    private readonly Lock _writeLock = new();
    private List<MetricPoint> _buffer = [];
    private volatile bool _stopping;
    private bool _disposed;

    internal MetricWriter(SqliteDatabase database, string runId, TimeProvider clock)
    {
        RunId = runId;
        _clock = clock;
        _connection = database.Open();
        _insertOne = Prepare(1);
        _insertMany = Prepare(RowsPerStatement);
        _flusher = new Thread(FlushLoop) { IsBackground = true, Name = $"metrics {runId}" };
        _flusher.Start();
    }

    public string RunId { get; }

    /// <summary>
    /// Records one point, stamped with the current wall time. Cheap: it only appends to memory.
    /// A key holds one value per step: logging the same key and step again replaces the value.
    /// </summary>
    public void Log(string key, long step, double value)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var wallTime = (_clock.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds;
        lock (_bufferLock)
        {
            _buffer.Add(new MetricPoint(key, step, value, wallTime));
            if (_buffer.Count == EarlyFlushPoints)
            {
                _wake.Set();
            }
        }
    }

    /// <summary>Writes every point logged so far before returning.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        WritePending();
    }

    /// <summary>Stops the background thread and writes what is left; throws if that write fails.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _stopping = true;
        _wake.Set();
        _flusher.Join();
        try
        {
            WritePending();
        }
        finally
        {
            _insertOne.Dispose();
            _insertMany.Dispose();
            _connection.Dispose();
            _wake.Dispose();
        }
    }

    private void FlushLoop()
    {
        while (!_stopping)
        {
            _wake.WaitOne(FlushInterval);
            try
            {
                WritePending();
            }
            catch (Exception e) when (e is SqliteException or RunStoreException)
            {
                // The points went back into the buffer; the next tick retries, and Flush() or
                // Dispose() report a failure that lasts.
            }
        }
    }

    private void WritePending()
    {
        lock (_writeLock)
        {
            List<MetricPoint> batch;
            lock (_bufferLock)
            {
                if (_buffer.Count == 0)
                {
                    return;
                }
                batch = _buffer;
                _buffer = new List<MetricPoint>(batch.Count);
            }

            var written = 0;
            try
            {
                ResolveSeries(batch);
                for (; written < batch.Count; written += RowsPerTransaction)
                {
                    WriteTransaction(batch, written, Math.Min(written + RowsPerTransaction, batch.Count));
                }
            }
            catch
            {
                // Put the unwritten points back in front of anything logged meanwhile.
                lock (_bufferLock)
                {
                    batch.RemoveRange(0, written);
                    batch.AddRange(_buffer);
                    _buffer = batch;
                }
                throw;
            }
        }
    }

    // BEGIN IMMEDIATE takes the write lock up front, so a busy database is waited on (busy_timeout)
    // before any row is written, and a retry repeats the whole transaction.
    private void WriteTransaction(List<MetricPoint> batch, int start, int end) => SqliteDatabase.BusyRetry(() =>
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        var i = start;
        for (; end - i >= RowsPerStatement; i += RowsPerStatement)
        {
            for (var row = 0; row < RowsPerStatement; row++)
            {
                Bind(_insertMany, 4 * row, batch[i + row]);
            }
            Step(_insertMany);
        }
        for (; i < end; i++)
        {
            Bind(_insertOne, 0, batch[i]);
            Step(_insertOne);
        }
        transaction.Commit();
    });

    private void Bind(sqlite3_stmt insert, int offset, MetricPoint point)
    {
        raw.sqlite3_bind_int64(insert, offset + 1, _seriesIds[point.Key]);
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

    // Finds or creates the metric_series row of each key not seen before, committed on its own so
    // that a cached id always refers to a row that exists, whatever happens to later transactions.
    private void ResolveSeries(List<MetricPoint> batch)
    {
        var newKeys = batch.Select(p => p.Key).Where(k => !_seriesIds.ContainsKey(k)).Distinct().ToList();
        if (newKeys.Count == 0)
        {
            return;
        }
        var ids = SqliteDatabase.BusyRetry(() =>
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO metric_series (run_id, key) VALUES ($run, $key) ON CONFLICT (run_id, key) DO NOTHING;
                SELECT id FROM metric_series WHERE run_id = $run AND key = $key;
                """;
            command.Parameters.AddWithValue("$run", RunId);
            var key = command.Parameters.Add("$key", SqliteType.Text);
            var resolved = new Dictionary<string, long>();
            foreach (var name in newKeys)
            {
                key.Value = name;
                resolved[name] = (long)command.ExecuteScalar()!;
            }
            transaction.Commit();
            return resolved;
        });
        foreach (var (name, id) in ids)
        {
            _seriesIds[name] = id;
        }
    }

    // SQLite status codes become SqliteExceptions here, as Microsoft.Data.Sqlite does for its own calls.
    private void Check(int rc) => SqliteException.ThrowExceptionForRC(rc, _connection.Handle);

    private readonly record struct MetricPoint(string Key, long Step, double Value, double WallTime);
}
