// Which direction of a metric is better: the run's primary metric (name@best, the best checkpoint)
// is min or max by its spec; every other metric gets its direction from its name (losses go down,
// accuracies and throughput go up, lr and epoch have none), which decides best/ values and colours.
namespace Workbench.Tracking;

public enum MetricGoal
{
    Neutral,
    Min,
    Max,
}

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
        ["vocab_size"] = MetricGoal.Neutral,
        ["step_ms"] = MetricGoal.Min,
        ["peak_mem_mb"] = MetricGoal.Min,
        ["gpu_mem_gb"] = MetricGoal.Min,
        ["samples_per_s"] = MetricGoal.Max,
        ["tokens_per_s"] = MetricGoal.Max,
        ["mfu"] = MetricGoal.Max,
    };

    /// <summary>
    /// The goal of <paramref name="metric"/>: from <paramref name="overrides"/> when it names the metric,
    /// else from the name. A summary's `best/` prefix and a split prefix such as `val/` do not change it:
    /// `best/val/loss` is a loss.
    /// </summary>
    public static MetricGoal Resolve(string metric, IReadOnlyDictionary<string, string>? overrides = null)
    {
        if (overrides is not null && overrides.TryGetValue(metric, out var given))
        {
            try { return Parse(given, allowNeutral: true); }
            catch (ArgumentException) { throw new ArgumentException($"the goal given for metric '{metric}' is '{given}'; use min, max or neutral"); }
        }
        var leaf = metric[(metric.LastIndexOf('/') + 1)..];
        if (KnownNames.TryGetValue(leaf, out var known)) return known;
        if (leaf.Contains("loss", StringComparison.OrdinalIgnoreCase)) return MetricGoal.Min;
        if (leaf.Contains("acc", StringComparison.OrdinalIgnoreCase)) return MetricGoal.Max;
        return MetricGoal.Neutral;
    }

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
