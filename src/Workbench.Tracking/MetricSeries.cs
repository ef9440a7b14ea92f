// One metric's points for one run, as parallel arrays in step order (what charts and exports want).
namespace Workbench.Tracking;

/// <summary>Points of one metric key. WallTimes are Unix seconds (UTC). NaN values are kept as NaN.</summary>
public sealed record MetricSeries(long[] Steps, double[] Values, double[] WallTimes)
{
    public int Count => Steps.Length;
}
