// The provider-specific half of MetricWriter: resolving a run's metric keys to series ids and
// writing a batch of points in one transaction. MetricWriter keeps the buffering and threading.
namespace Workbench.Tracking.Schema;

/// <summary>One logged value; <see cref="MetricWriter.Log"/> makes them.</summary>
internal readonly record struct MetricPoint(string Key, long Step, double Value, double WallTime);

internal abstract class MetricPointTable : IDisposable
{
    /// <summary>Points per transaction; a batch is written in transactions of at most this many.</summary>
    public abstract int RowsPerTransaction { get; }

    /// <summary>
    /// Finds or creates the metric_series row of each key, committed before returning so that an id
    /// always refers to a row that exists, whatever happens to later transactions.
    /// </summary>
    public abstract IReadOnlyDictionary<string, long> ResolveSeries(IReadOnlyList<string> keys);

    /// <summary>
    /// Writes <c>points[start..end)</c> in one transaction; a key and step written before (or twice in
    /// the range) keeps the last value. NaN is stored as NULL.
    /// </summary>
    public abstract void WriteTransaction(List<MetricPoint> points, int start, int end, IReadOnlyDictionary<string, long> seriesIds);

    public abstract void Dispose();
}
