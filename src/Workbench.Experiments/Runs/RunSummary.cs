// Builds a run's summary (docs/design.md): each metric's final value and, where the metric catalog
// gives it a direction, its best value under best/; plus step_ms, throughput, params and peak
// memory added by the stage.
using Workbench.Experiments.Catalog;
using Workbench.Tracking;

namespace Workbench.Experiments.Runs;

public sealed class RunSummary
{
    private readonly Dictionary<string, double> _final = [];
    private readonly Dictionary<string, double> _best = [];
    private readonly Dictionary<string, double> _extra = [];

    /// <summary>Records one metric point (called for every logged value, cheap).</summary>
    public void Observe(string key, double value)
    {
        _final[key] = value;
        var goal = MetricTable.Catalog.GoalOf(key);
        if (double.IsNaN(value) || goal == MetricGoal.Neutral) return;
        if (!_best.TryGetValue(key, out var best) || goal.IsBetter(value, best)) _best[key] = value;
    }

    public double? Final(string key) => _final.TryGetValue(key, out var v) ? v : null;

    public double? Best(string key) => _best.TryGetValue(key, out var v) ? v : null;

    /// <summary>Sets a run-level figure (step_ms, params...) that is not a metric series.</summary>
    public void Set(string key, double value) => _extra[key] = value;

    public IReadOnlyDictionary<string, double> ToDictionary()
    {
        var all = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (k, v) in _final) all[k] = v;
        foreach (var (k, v) in _best) all[$"best/{k}"] = v;
        foreach (var (k, v) in _extra) all[k] = v;
        return all;
    }
}
