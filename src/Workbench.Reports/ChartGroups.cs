// Which chart a metric is drawn in: the metric catalog names each metric's chart, so related
// metrics share one (train and val loss together, DPO's chosen and rejected rewards together).
using Workbench.Tracking;

namespace Workbench.Reports;

/// <summary>A chart of a report: its title and the metrics drawn in it.</summary>
public sealed record ChartGroup(string Title, IReadOnlyList<string> Metrics);

public static class ChartGroups
{
    /// <summary>Metrics that are x axes (step to epoch, step to tokens seen) rather than curves.</summary>
    public static readonly IReadOnlySet<string> AxisMetrics = ChartAxes.All.Select(a => a.Metric()).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The charts for these metric names: the catalog's charts in the order the catalog first names
    /// them, then one chart per metric the catalog does not hold (a stage may log a key before the
    /// table lists it; it is drawn alone rather than hidden). Axis metrics and the catalog's
    /// non-curve figures (no chart) are left out.
    /// </summary>
    public static IReadOnlyList<ChartGroup> Assign(IEnumerable<string> metrics, MetricCatalog catalog)
    {
        var titles = catalog.Definitions.Select(d => d.Chart).OfType<string>().Distinct().ToList();
        var members = titles.ToDictionary(t => t, _ => new List<string>());
        var others = new List<string>();
        foreach (var metric in metrics.Distinct().Order(StringComparer.Ordinal))
        {
            if (AxisMetrics.Contains(metric))
            {
                continue;
            }
            switch (catalog.OfKey(metric))
            {
                case null: others.Add(metric); break;
                case { Chart: { } title }: members[title].Add(metric); break;
                default: break; // a figure that is not a curve
            }
        }
        return titles.Where(t => members[t].Count > 0).Select(t => new ChartGroup(t, members[t]))
            .Concat(others.Select(metric => new ChartGroup(metric, [metric])))
            .ToList();
    }
}
