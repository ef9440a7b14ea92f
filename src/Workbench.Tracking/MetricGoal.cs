// Which direction of the primary metric is better; decides name@best and best/ summary values.
namespace Workbench.Tracking;

public enum MetricGoal
{
    Min,
    Max,
}

/// <summary>The spec's spelling of a goal: <c>min</c> or <c>max</c>.</summary>
public static class MetricGoalNames
{
    public static string ToName(this MetricGoal goal) => goal == MetricGoal.Max ? "max" : "min";

    public static MetricGoal Parse(string name) => name.ToLowerInvariant() switch
    {
        "max" => MetricGoal.Max,
        "min" => MetricGoal.Min,
        _ => throw new ArgumentException($"unknown metric goal '{name}'; expected min or max", nameof(name)),
    };

    /// <summary>True when <paramref name="candidate"/> beats <paramref name="incumbent"/> in this direction.</summary>
    public static bool IsBetter(this MetricGoal goal, double candidate, double incumbent) =>
        goal == MetricGoal.Max ? candidate > incumbent : candidate < incumbent;
}
