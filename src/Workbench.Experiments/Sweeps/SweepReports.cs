// Maps a stored sweep to the morning report's input model and writes the report: the one place that
// knows both, as RunReports is for runs.
using Workbench.Experiments.Catalog;
using Workbench.Experiments.Runs;
using Workbench.Experiments.Specs;
using Workbench.Reports;
using Workbench.Tracking;

namespace Workbench.Experiments.Sweeps;

public static class SweepReports
{
    /// <summary>Writes runs/sweeps/&lt;id&gt;/report.html beside the database and returns its path.</summary>
    public static string Write(RunStore store, SweepSummary summary)
    {
        var path = Path.Combine(store.RunsDirectory, "sweeps", summary.Sweep.Id, "report.html");
        SweepReport.Write(path, Input(store, summary));
        return path;
    }

    /// <summary>How many of the best completed trials the report draws against the baseline.</summary>
    public const int BestCurves = 3;

    /// <summary>Besides the sweep's metric (and the step-to-x axes), the curve drawn for each trial and the baseline.</summary>
    private const string TrainLoss = "train/loss";

    public static SweepReportInput Input(RunStore store, SweepSummary summary)
    {
        var definition = summary.Definition;
        var metric = definition.Metric;
        var trials = summary.Ranked.Select(t => new SweepReportTrial(t.Number, t.Status.ToName(), t.Score, t.PrunedStep, SweepSummary.Duration(t),
            t.Attempts, SweepTrials.Parameters(t.ParametersJson).ToDictionary(p => p.Key, p => SweepValue.Format(p.Value)), t.RunIds.Values.ToList())).ToList();
        var (baselineRun, baselineNote) = Baseline(store, summary);
        var baselineValue = baselineRun is null ? null : BestValue(baselineRun, metric.Name);
        var best = summary.Best is { } b
            ? $"Best: trial {b.Number}, {metric.Name} {ReportNumbers.Display(b.Score!.Value)} ({SweepSummary.Describe(b)})" +
              (baselineValue is { } v ? $", against the baseline's {ReportNumbers.Display(v)} ({ReportNumbers.Signed(b.Score.Value - v)})." : ".")
            : "No trial has completed yet.";
        var text = $"{summary.Status}, {summary.Counts()}. A {definition.Method.ToString().ToLowerInvariant()} search over " +
                   $"{definition.Parameters.Count} parameter(s) of {definition.SpecPath}, {definition.Seeds.Count} seed(s) a trial, " +
                   $"ranked by the mean over seeds of best/{metric.Name} ({(metric.Goal == MetricGoal.Max ? "higher" : "lower")} is better). {best}";
        var kept = new HashSet<string>([metric.Name, TrainLoss, .. ChartGroups.AxisMetrics]);
        var baseline = baselineRun is null ? null : Curves(RunReports.ToReportRun(store, baselineRun), kept) with
        {
            Name = $"baseline {baselineRun.Name}", GroupHash = "baseline",
        };
        return new SweepReportInput(
            $"sweep {summary.Sweep.Name} ({summary.Sweep.Id})",
            text,
            metric.Name,
            metric.Goal,
            definition.Parameters.Select(p => new SweepReportParameter(p.Path, p.Kind == ParameterKind.LogUniform)).ToList(),
            trials,
            summary.Trials.SelectMany(t => TrialRuns(store, t, kept)).ToList(),
            summary.Best is { } top ? RerunCommand(definition, top) : null,
            MetricTable.Catalog,
            summary.Importance,
            baseline,
            baselineRun is null ? $"No baseline: {baselineNote}." : $"Baseline: {baselineRun.Name} ({baselineRun.Id}), {baselineNote}.",
            summary.Best is { } first ? BestSpec(store, definition, first) : null,
            BestCurves);
    }

    /// <summary>
    /// The run the sweep is measured against, as a run report picks it: the base spec's `baseline` (with the
    /// sweep's `set:`, as its trials see it) when that names a run; else the best finished run of the base
    /// spec as it stands, without overrides; else none. With the reason, for the page.
    /// </summary>
    public static (RunRecord? Run, string Note) Baseline(RunStore store, SweepSummary summary)
    {
        var definition = summary.Definition;
        ExperimentSpec spec, plain;
        try
        {
            spec = SpecLoader.Load(definition.SpecPath, definition.Set);
            plain = SpecLoader.Load(definition.SpecPath);
        }
        catch (SpecException)
        {
            return (null, $"the base spec {definition.SpecPath} no longer loads");
        }
        var unresolved = "";
        if (spec.Baseline is { } reference)
        {
            try { return (store.Resolve(reference), $"the spec's `baseline: {reference}`"); }
            catch (RunStoreException) { unresolved = $"the spec's `baseline: {reference}` names no run in this store, and "; }
        }
        var group = SpecJson.GroupHash(plain);
        var trialRuns = summary.Trials.SelectMany(t => t.RunIds.Values).ToHashSet();
        var metric = summary.Definition.Metric;
        var candidates = store.List(status: "finished")
            .Where(r => r.GroupHash == group && !trialRuns.Contains(r.Id) && BestValue(r, metric.Name) is not null)
            .ToList();
        RunRecord? best = null;
        foreach (var run in candidates)
        {
            if (best is null || metric.Goal.IsBetter(BestValue(run, metric.Name)!.Value, BestValue(best, metric.Name)!.Value)) best = run;
        }
        return best is not null
            ? (best, unresolved + $"the best of {candidates.Count} finished run(s) of {definition.SpecPath} without overrides")
            : (null, unresolved + $"{(unresolved.Length == 0 ? "the spec names no `baseline` and " : "")}no finished run of {definition.SpecPath} " +
                     $"without overrides is in this store (`workbench run {Quote(definition.SpecPath)}` makes one)");
    }

    // best/<metric> as trials are scored, or the metric's last value for a run that logged no best.
    private static double? BestValue(RunRecord run, string metric) =>
        run.Summary.TryGetValue($"best/{metric}", out var best) && double.IsFinite(best) ? best
        : run.Summary.TryGetValue(metric, out var last) && double.IsFinite(last) ? last : null;

    // A trial's runs holding the sweep's metric, the train loss and the step-to-x axes, named for the trial and grouped by it.
    private static IEnumerable<ReportRun> TrialRuns(RunStore store, TrialRecord trial, IReadOnlySet<string> kept)
    {
        var label = $"trial {trial.Number}" + (trial.PrunedStep is { } step ? $" · pruned at {step}" : "");
        foreach (var id in trial.RunIds.Values)
        {
            RunRecord run;
            try { run = store.Get(id); }
            catch (RunNotFoundException) { continue; }   // deleted since
            yield return Curves(RunReports.ToReportRun(store, run), kept) with { Name = label, GroupHash = $"trial-{trial.Number}" };
        }
    }

    private static ReportRun Curves(ReportRun run, IReadOnlySet<string> kept) =>
        run with { Metrics = run.Metrics.Where(m => kept.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Value), Texts = [] };

    /// <summary>The best trial's first seed's resolved spec as YAML (what its config.yaml holds); null when that run is gone.</summary>
    private static string? BestSpec(RunStore store, SweepDefinition definition, TrialRecord trial)
    {
        if (!trial.RunIds.TryGetValue(definition.Seeds[0], out var id)) return null;
        try { return SpecYaml.Write(SpecLoader.FromJson(store.Get(id).ConfigJson)); }
        catch (Exception e) when (e is RunNotFoundException or SpecException) { return null; }
    }

    /// <summary>`workbench run SPEC --set ...` for the trial's first seed: the exact command that trains it again.</summary>
    private static string RerunCommand(SweepDefinition definition, TrialRecord trial) =>
        $"workbench run {Quote(definition.SpecPath)} " + string.Join(' ',
            definition.TrialOverrides(SweepTrials.Parameters(trial.ParametersJson), definition.Seeds[0]).Select(a => $"--set {Quote(a)}"));

    private static string Quote(string text) =>
        text.All(c => char.IsLetterOrDigit(c) || "-_./=:@,".Contains(c)) ? text : "'" + text.Replace("'", "'\\''") + "'";
}
