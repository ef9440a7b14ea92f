// Which way is better for a metric: built-in directions by name, overridable per report.
namespace Workbench.Reports;

/// <summary>Whether a smaller or a larger value of a metric is better, or neither.</summary>
public enum MetricGoal
{
    Neutral,
    Min,
    Max,
}

/// <summary>Resolves a metric's goal from the report's overrides, then from its name.</summary>
public static class MetricGoals
{
    // Exact names first: `step_ms` would otherwise be neutral and `tokens_per_s` would match `tokens`.
    private static readonly Dictionary<string, MetricGoal> KnownNames = new(StringComparer.Ordinal)
    {
        ["lr"] = MetricGoal.Neutral,
        ["epoch"] = MetricGoal.Neutral,
        ["tokens"] = MetricGoal.Neutral,
        ["grad_norm"] = MetricGoal.Neutral,
        ["params"] = MetricGoal.Neutral,
        ["step_ms"] = MetricGoal.Min,
        ["peak_mem_mb"] = MetricGoal.Min,
        ["gpu_mem_gb"] = MetricGoal.Min,
        ["samples_per_s"] = MetricGoal.Max,
        ["tokens_per_s"] = MetricGoal.Max,
        ["mfu"] = MetricGoal.Max,
    };

    /// <summary>
    /// The goal of <paramref name="metric"/>. A summary's `best/` prefix and a split prefix such as
    /// `val/` do not change it: `best/val/loss` is a loss.
    /// </summary>
    public static MetricGoal Resolve(string metric, IReadOnlyDictionary<string, string>? overrides = null)
    {
        if (overrides is not null && overrides.TryGetValue(metric, out var given))
        {
            return Parse(given, metric);
        }
        var leaf = metric[(metric.LastIndexOf('/') + 1)..];
        if (KnownNames.TryGetValue(leaf, out var known))
        {
            return known;
        }
        if (leaf.Contains("loss", StringComparison.OrdinalIgnoreCase))
        {
            return MetricGoal.Min;
        }
        if (leaf.Contains("acc", StringComparison.OrdinalIgnoreCase))
        {
            return MetricGoal.Max;
        }
        return MetricGoal.Neutral;
    }

    private static MetricGoal Parse(string goal, string metric) => goal.Trim().ToLowerInvariant() switch
    {
        "min" => MetricGoal.Min,
        "max" => MetricGoal.Max,
        "neutral" or "none" => MetricGoal.Neutral,
        _ => throw new ArgumentException($"report goal for metric '{metric}' is '{goal}'; use min or max"),
    };
}
