// Which direction of a metric is better: the run's primary metric (name@best, the best checkpoint)
// is min or max by its spec; every metric's direction is in the metric catalog (MetricCatalog),
// which decides best/ values, verdicts and colours.
namespace Workbench.Tracking;

public enum MetricGoal
{
    Neutral,
    Min,
    Max,
}

public static class MetricGoals
{
    /// <summary>The spelling specs and the store use: min, max (and neutral where <paramref name="allowNeutral"/>).</summary>
    public static MetricGoal Parse(string name, bool allowNeutral = false) => name.Trim().ToLowerInvariant() switch
    {
        "max" => MetricGoal.Max,
        "min" => MetricGoal.Min,
        "neutral" or "none" when allowNeutral => MetricGoal.Neutral,
        _ => throw new ArgumentException($"unknown metric goal '{name}'; expected min or max", nameof(name)),
    };

    public static string ToName(this MetricGoal goal) => goal switch
    {
        MetricGoal.Max => "max",
        MetricGoal.Min => "min",
        _ => "neutral",
    };

    /// <summary>True when <paramref name="candidate"/> beats <paramref name="incumbent"/>; never for a neutral metric.</summary>
    public static bool IsBetter(this MetricGoal goal, double candidate, double incumbent) => goal switch
    {
        MetricGoal.Max => candidate > incumbent,
        MetricGoal.Min => candidate < incumbent,
        _ => false,
    };
}
