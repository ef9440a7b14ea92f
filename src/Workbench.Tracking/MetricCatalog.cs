// The metric definitions a run's stages can log, looked up by logged key. Built from a table
// (Workbench.Experiments/Catalog/MetricTable.cs) and handed to whoever needs meanings: the spec's
// `metric` check, the run summary's best/ values, reports' verdicts and charts, `rerun --verify`.
using System.Text.RegularExpressions;

namespace Workbench.Tracking;

public sealed class MetricCatalog
{
    /// <summary>The prefix a run summary gives a metric's best value: `best/val/loss` means what `val/loss` means.</summary>
    public const string BestPrefix = "best/";

    private readonly Dictionary<string, MetricDefinition> _exact;
    private readonly List<(Regex Pattern, MetricDefinition Definition)> _patterns;

    public MetricCatalog(IEnumerable<MetricDefinition> definitions)
    {
        Definitions = definitions.ToList();
        var twice = Definitions.GroupBy(d => d.Name).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ArgumentException($"metric `{twice.Key}` is defined twice");
        _exact = Definitions.Where(d => !d.IsPattern).ToDictionary(d => d.Name, StringComparer.Ordinal);
        _patterns = Definitions.Where(d => d.IsPattern).Select(d => (ToRegex(d.Name), d)).ToList();
    }

    /// <summary>In table order, which is also the order of the report's charts.</summary>
    public IReadOnlyList<MetricDefinition> Definitions { get; }

    /// <summary>
    /// The definition of a metric name as a user writes it (the spec's `metric`): the exact name first,
    /// then the first pattern that matches; null for a name the table does not hold.
    /// </summary>
    public MetricDefinition? Find(string name) =>
        _exact.TryGetValue(name, out var exact) ? exact : _patterns.FirstOrDefault(p => p.Pattern.IsMatch(name)).Definition;

    /// <summary>The definition of a key read back from a run: a series, or a summary entry whose `best/` prefix is set aside.</summary>
    public MetricDefinition? OfKey(string key) =>
        Find(key.StartsWith(BestPrefix, StringComparison.Ordinal) ? key[BestPrefix.Length..] : key);

    /// <summary>
    /// The goal of a logged key for display and best/ values: from <paramref name="overrides"/> when it
    /// names the key, else from the table. A key the table does not hold is neutral (no best/ value,
    /// no better/worse verdict): a report shows it rather than refusing a run that logged it. Where a
    /// user names a metric (the spec's `metric`), an unknown name is an error instead (see Find).
    /// </summary>
    public MetricGoal GoalOf(string key, IReadOnlyDictionary<string, string>? overrides = null)
    {
        if (overrides is not null && overrides.TryGetValue(key, out var given))
        {
            try { return MetricGoals.Parse(given, allowNeutral: true); }
            catch (ArgumentException) { throw new ArgumentException($"the goal given for metric '{key}' is '{given}'; use min, max or neutral"); }
        }
        return OfKey(key)?.Goal ?? MetricGoal.Neutral;
    }

    /// <summary>Whether a logged key measures the machine rather than the training; unknown keys do not.</summary>
    public bool IsTiming(string key) => OfKey(key)?.Timing ?? false;

    // `val/pass@<k>` -> ^val/pass@[^/]+$: a placeholder is one path segment or part of one; the rest is literal.
    private static Regex ToRegex(string name)
    {
        var parts = Regex.Split(name, "<[^<>/]+>").Select(Regex.Escape);
        return new Regex("^" + string.Join("[^/]+", parts) + "$", RegexOptions.CultureInvariant);
    }
}
