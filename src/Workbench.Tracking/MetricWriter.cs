// Buffers a run's metric points in memory and writes them in batched transactions of prepared
// inserts: from a background thread at least every second (a crash loses about a second of points),
// on Flush() and on Dispose(). Log() never touches the database, so the training loop never waits on it.
using Microsoft.Data.Sqlite;
using Workbench.Tracking.Schema;

namespace Workbench.Tracking;

public sealed class MetricWriter : IDisposable
{
    /// <summary>How often the background thread writes what was logged.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    // Rows per transaction: large enough that the commit cost vanishes (~870k rows/s measured at
    // 1000), small enough that other processes wait for the write lock only a millisecond or so.
    private const int RowsPerTransaction = 1000;

    // Wake the writer early when this many points are waiting, bounding memory at high log rates.
    private const int EarlyFlushPoints = 50_000;

    private readonly TimeProvider _clock;
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _key, _step, _value, _wallTime;
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
        _insert = _connection.CreateCommand();
        _insert.CommandText =
            "INSERT INTO metric_points (run_id, key, step, value, wall_time) VALUES ($run, $key, $step, $value, $wall);";
        _insert.Parameters.AddWithValue("$run", runId);
        _key = _insert.Parameters.Add("$key", SqliteType.Text);
        _step = _insert.Parameters.Add("$step", SqliteType.Integer);
        _value = _insert.Parameters.Add("$value", SqliteType.Real);
        _wallTime = _insert.Parameters.Add("$wall", SqliteType.Real);
        _flusher = new Thread(FlushLoop) { IsBackground = true, Name = $"metrics {runId}" };
        _flusher.Start();
    }

    public string RunId { get; }

    /// <summary>Records one point, stamped with the current wall time. Cheap: it only appends to memory.</summary>
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
            _insert.Dispose();
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
        _insert.Transaction = transaction;
        for (var i = start; i < end; i++)
        {
            var point = batch[i];
            _key.Value = point.Key;
            _step.Value = point.Step;
            _value.Value = double.IsNaN(point.Value) ? DBNull.Value : point.Value;
            _wallTime.Value = point.WallTime;
            _insert.ExecuteNonQuery();
        }
        transaction.Commit();
    });

    private readonly record struct MetricPoint(string Key, long Step, double Value, double WallTime);
}
