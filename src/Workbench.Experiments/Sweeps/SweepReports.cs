// Maps a stored sweep to the morning report's input model and writes the report: the one place that
// knows both, as RunReports is for runs.
using Workbench.Experiments.Catalog;
using Workbench.Experiments.Runs;
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

    public static SweepReportInput Input(RunStore store, SweepSummary summary)
    {
        var definition = summary.Definition;
        var metric = definition.Metric;
        var trials = summary.Ranked.Select(t => new SweepReportTrial(t.Number, t.Status.ToName(), t.Score, t.PrunedStep, SweepSummary.Duration(t),
            t.Attempts, SweepTrials.Parameters(t.ParametersJson).ToDictionary(p => p.Key, p => SweepValue.Format(p.Value)), t.RunIds.Values.ToList())).ToList();
        var best = summary.Best is { } b
            ? $"Best: trial {b.Number}, {metric.Name} {ReportNumbers.Display(b.Score!.Value)} ({SweepSummary.Describe(b)})."
            : "No trial has completed yet.";
        var text = $"{summary.Status}, {summary.Counts()}. A {definition.Method.ToString().ToLowerInvariant()} search over " +
                   $"{definition.Parameters.Count} parameter(s) of {definition.SpecPath}, {definition.Seeds.Count} seed(s) a trial, " +
                   $"ranked by the mean over seeds of best/{metric.Name} ({(metric.Goal == MetricGoal.Max ? "higher" : "lower")} is better). {best}";
        return new SweepReportInput(
            $"sweep {summary.Sweep.Name} ({summary.Sweep.Id})",
            text,
            metric.Name,
            metric.Goal,
            definition.Parameters.Select(p => new SweepReportParameter(p.Path, p.Kind == ParameterKind.LogUniform)).ToList(),
            trials,
            summary.Trials.SelectMany(t => TrialRuns(store, t, metric.Name)).ToList(),
            summary.Best is { } top ? RerunCommand(definition, top) : null,
            MetricTable.Catalog);
    }

    // A trial's runs holding the sweep's metric (and the step-to-x axes), named for the trial and grouped by it.
    private static IEnumerable<ReportRun> TrialRuns(RunStore store, TrialRecord trial, string metric)
    {
        var label = $"trial {trial.Number}" + (trial.PrunedStep is { } step ? $" · pruned at {step}" : "");
        foreach (var id in trial.RunIds.Values)
        {
            RunRecord run;
            try { run = store.Get(id); }
            catch (RunNotFoundException) { continue; }   // deleted since
            var report = RunReports.ToReportRun(store, run);
            var kept = report.Metrics.Where(m => m.Key == metric || ChartGroups.AxisMetrics.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Value);
            yield return report with { Name = label, GroupHash = $"trial-{trial.Number}", Metrics = kept, Texts = [] };
        }
    }

    /// <summary>`workbench run SPEC --set ...` for the trial's first seed: the exact command that trains it again.</summary>
    private static string RerunCommand(SweepDefinition definition, TrialRecord trial) =>
        $"workbench run {Quote(definition.SpecPath)} " + string.Join(' ',
            definition.TrialOverrides(SweepTrials.Parameters(trial.ParametersJson), definition.Seeds[0]).Select(a => $"--set {Quote(a)}"));

    private static string Quote(string text) =>
        text.All(c => char.IsLetterOrDigit(c) || "-_./=:@,".Contains(c)) ? text : "'" + text.Replace("'", "'\\''") + "'";
}
