// Buffers a run's metric points in memory and writes them in batched transactions of prepared
// inserts: from a background thread at least every second (a crash loses about a second of points),
// on Flush() and on Dispose(). Log() never touches the database, so the training loop never waits on it.
// How a batch reaches the database is the provider's (MetricPointTable: SQLite's prepared multi-row
// inserts, PostgreSQL's array insert).
using System.Data.Common;
using Workbench.Tracking.Schema;

namespace Workbench.Tracking;

public sealed class MetricWriter : IDisposable
{
    /// <summary>How often the background thread writes what was logged.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    // Wake the writer early when this many points are waiting, bounding memory at high log rates.
    private const int EarlyFlushPoints = 50_000;

    private readonly TimeProvider _clock;
    private readonly MetricPointTable _table;
    private readonly Dictionary<string, long> _seriesIds = [];
    private readonly Thread _flusher;
    private readonly AutoResetEvent _wake = new(false);
    private readonly Lock _bufferLock = new();
    private readonly Lock _writeLock = new();
    private List<MetricPoint> _buffer = [];
    private volatile bool _stopping;
    private bool _disposed;

    internal MetricWriter(StoreDatabase database, string runId, TimeProvider clock)
    {
        RunId = runId;
        _clock = clock;
        _table = database.OpenPointTable(runId);
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
            _table.Dispose();
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
            catch (Exception e) when (e is DbException or RunStoreException)
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
                for (var size = _table.RowsPerTransaction; written < batch.Count; written += size)
                {
                    _table.WriteTransaction(batch, written, Math.Min(written + size, batch.Count), _seriesIds);
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

    // Finds or creates the metric_series row of each key not seen before (MetricPointTable.ResolveSeries).
    private void ResolveSeries(List<MetricPoint> batch)
    {
        var newKeys = batch.Select(p => p.Key).Where(k => !_seriesIds.ContainsKey(k)).Distinct().ToList();
        if (newKeys.Count == 0)
        {
            return;
        }
        var ids = _table.ResolveSeries(newKeys);
        foreach (var (name, id) in ids)
        {
            _seriesIds[name] = id;
        }
    }
}
