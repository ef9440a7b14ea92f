// Which chart a metric is drawn in: related metrics share one (train and val loss together).
namespace Workbench.Reports;

/// <summary>A chart of a report: its title and the metrics drawn in it.</summary>
public sealed record ChartGroup(string Title, IReadOnlyList<string> Metrics);

public static class ChartGroups
{
    /// <summary>Metrics that are x axes (step to epoch, step to tokens seen) rather than curves.</summary>
    public static readonly IReadOnlySet<string> AxisMetrics = new HashSet<string>(StringComparer.Ordinal) { "epoch", "tokens" };

    private static readonly string[] ThroughputNames = ["samples_per_s", "tokens_per_s", "step_ms", "mfu"];

    /// <summary>
    /// The charts for these metric names, in a fixed order: loss, accuracy, learning rate, throughput,
    /// gradient norm, then one chart per other metric. Axis metrics are left out.
    /// </summary>
    public static IReadOnlyList<ChartGroup> Assign(IEnumerable<string> metrics)
    {
        var named = new (string Title, Func<string, bool> Holds)[]
        {
            ("Loss", leaf => leaf.Contains("loss", StringComparison.OrdinalIgnoreCase)),
            ("Accuracy", leaf => leaf.Contains("acc", StringComparison.OrdinalIgnoreCase)),
            ("Learning rate", leaf => leaf == "lr"),
            ("Throughput", leaf => ThroughputNames.Contains(leaf)),
            ("Gradient norm", leaf => leaf == "grad_norm"),
        };
        var members = named.Select(_ => new List<string>()).ToArray();
        var others = new List<string>();
        foreach (var metric in metrics.Distinct().Order(StringComparer.Ordinal))
        {
            if (AxisMetrics.Contains(metric))
            {
                continue;
            }
            var leaf = metric[(metric.LastIndexOf('/') + 1)..];
            var index = Array.FindIndex(named, n => n.Holds(leaf));
            (index >= 0 ? members[index] : others).Add(metric);
        }
        var charts = new List<ChartGroup>();
        for (var i = 0; i < named.Length; i++)
        {
            if (members[i].Count > 0)
            {
                charts.Add(new ChartGroup(named[i].Title, members[i]));
            }
        }
        charts.AddRange(others.Select(metric => new ChartGroup(metric, [metric])));
        return charts;
    }
}
