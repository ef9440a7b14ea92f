// The baseline comparison of summary metrics: per-run deltas, seed-group mean ± std, Welch p-values.
using Workbench.Tracking;

namespace Workbench.Reports;

/// <summary>How a value compares with the baseline's, given the metric's goal.</summary>
public enum Verdict
{
    /// <summary>No direction for this metric, or nothing to compare with.</summary>
    Neutral,
    Same,
    Better,
    Worse,
}

/// <summary>One run's value of a metric against the baseline's.</summary>
public sealed record RunDelta(ReportRun Run, double? Value, double? Absolute, double? Relative, Verdict Verdict);

/// <summary>
/// A seed group's mean ± std (n) of a metric, its delta against the baseline (the baseline group's
/// mean when that has several seeds too), and Welch's test when both sides have two or more seeds.
/// </summary>
public sealed record GroupSummary(
    SeedGroup Group,
    bool IsBaseline,
    int N,
    double Mean,
    double Std,
    double? Absolute,
    double? Relative,
    Verdict Verdict,
    TTestResult? Test)
{
    /// <summary>What the seed comparison says about the group, in plain words (the HTML report's and the Markdown summary's).</summary>
    public string Significance(bool hasBaseline)
    {
        if (IsBaseline)
        {
            return "baseline seeds";
        }
        if (Test is not TTestResult test)
        {
            return hasBaseline ? "no p-value: the baseline needs 2 or more seeds" : "";
        }
        return Describe(test);
    }

    /// <summary>A test's p-value and what it means, in plain words.</summary>
    public static string Describe(TTestResult test)
    {
        var p = ReportNumbers.PValue(test.PValue);
        return test.Significant
            ? $"p = {p} ({test.Test}): significant"
            : $"p = {p} ({test.Test}): not significant (p ≥ 0.05), the difference may be seed noise";
    }
}

/// <summary>One summary metric across the baseline, every run and every seed group.</summary>
public sealed record MetricComparison(
    string Metric,
    MetricGoal Goal,
    double? Baseline,
    IReadOnlyList<RunDelta> Runs,
    IReadOnlyList<GroupSummary> Groups);

/// <summary>
/// The whole comparison. <see cref="Runs"/> are the compared runs (the baseline left out);
/// <see cref="Groups"/> hold the baseline's group first when there is a baseline.
/// </summary>
public sealed record ComparisonTable(
    ReportRun? Baseline,
    IReadOnlyList<ReportRun> Runs,
    IReadOnlyList<SeedGroup> Groups,
    IReadOnlyList<MetricComparison> Metrics);

public static class Comparison
{
    /// <summary>
    /// Compares every summary metric of <paramref name="runs"/> with <paramref name="baseline"/>.
    /// The baseline may also appear in <paramref name="runs"/> (matched by id); it is compared once.
    /// Goals come from <paramref name="goals"/> (metric to "min"/"max"), then from <paramref name="catalog"/>.
    /// </summary>
    public static ComparisonTable Summarize(
        IReadOnlyList<ReportRun> runs,
        ReportRun? baseline,
        MetricCatalog catalog,
        IReadOnlyDictionary<string, string>? goals = null)
    {
        var compared = runs.Where(r => baseline is null || r.Id != baseline.Id).DistinctBy(r => r.Id).ToList();
        var everyRun = baseline is null ? compared : [baseline, .. compared];
        var groups = SeedGroups.Group(everyRun);
        var baselineGroup = baseline is null ? null : groups[0];

        var metrics = everyRun.SelectMany(r => r.Summary.Keys).Distinct().Order(StringComparer.Ordinal);
        var rows = new List<MetricComparison>();
        foreach (var metric in metrics)
        {
            var goal = catalog.GoalOf(metric, goals);
            double? baselineValue = baseline is not null && baseline.Summary.TryGetValue(metric, out var b) ? b : null;
            var deltas = compared.Select(run => Delta(run, ValueOf(run, metric), baselineValue, goal)).ToList();
            rows.Add(new MetricComparison(metric, goal, baselineValue, deltas, SummarizeGroups(metric, goal, groups, baselineGroup, baselineValue)));
        }
        return new ComparisonTable(baseline, compared, groups, rows);
    }

    /// <summary>Better, worse or the same, by the goal; neutral when either side is missing or not finite.</summary>
    public static Verdict Judge(double? value, double? baseline, MetricGoal goal)
    {
        if (value is not double v || baseline is not double b || !double.IsFinite(v) || !double.IsFinite(b) || goal == MetricGoal.Neutral)
        {
            return Verdict.Neutral;
        }
        if (v == b)
        {
            return Verdict.Same;
        }
        return (v < b) == (goal == MetricGoal.Min) ? Verdict.Better : Verdict.Worse;
    }

    private static RunDelta Delta(ReportRun run, double? value, double? baseline, MetricGoal goal)
    {
        var (absolute, relative) = Deltas(value, baseline);
        return new RunDelta(run, value, absolute, relative, Judge(value, baseline, goal));
    }

    // Relative delta is against |baseline|, and absent when the baseline is 0.
    private static (double? Absolute, double? Relative) Deltas(double? value, double? baseline)
    {
        if (value is not double v || baseline is not double b)
        {
            return (null, null);
        }
        var absolute = v - b;
        return (absolute, b == 0 ? null : absolute / Math.Abs(b));
    }

    private static double? ValueOf(ReportRun run, string metric) =>
        run.Summary.TryGetValue(metric, out var value) ? value : null;

    private static List<GroupSummary> SummarizeGroups(
        string metric, MetricGoal goal, IReadOnlyList<SeedGroup> groups, SeedGroup? baselineGroup, double? baselineValue)
    {
        List<double> Values(SeedGroup group) =>
            group.Runs.Select(r => ValueOf(r, metric)).OfType<double>().Where(double.IsFinite).ToList();

        var baselineValues = baselineGroup is null ? [] : Values(baselineGroup);
        // Several baseline seeds: compare means; otherwise compare with the baseline run itself.
        double? reference = baselineValues.Count >= 2 ? Statistics.Mean(baselineValues) : baselineValue;
        var summaries = new List<GroupSummary>();
        foreach (var group in groups.Where(g => g.IsSeedGroup))
        {
            var values = Values(group);
            if (values.Count == 0)
            {
                continue;
            }
            var mean = Statistics.Mean(values);
            var isBaseline = ReferenceEquals(group, baselineGroup);
            var (absolute, relative) = isBaseline ? (null, null) : Deltas(mean, reference);
            var test = !isBaseline && values.Count >= 2 && baselineValues.Count >= 2 ? Statistics.WelchTTest(values, baselineValues) : null;
            summaries.Add(new GroupSummary(
                group, isBaseline, values.Count, mean, Statistics.Std(values), absolute, relative,
                isBaseline ? Verdict.Neutral : Judge(mean, reference, goal), test));
        }
        return summaries;
    }
}
