// Maps stored runs to the report's input model and writes reports: the one place that knows both.
using Workbench.Experiments.Catalog;
using Workbench.Reports;
using Workbench.Torch;
using Workbench.Tracking;

namespace Workbench.Experiments.Runs;

public static class RunReports
{
    /// <summary>The text artifacts a stage stores (language-model samples) have this kind.</summary>
    public const string SampleKind = "sample";

    public static ReportRun ToReportRun(RunStore store, RunRecord run)
    {
        var metrics = store.GetMetrics(run.Id).ToDictionary(
            m => m.Key, m => new MetricSeriesData(m.Value.Steps, m.Value.Values, m.Value.WallTimes));
        var texts = store.GetArtifacts(run.Id)
            .Where(a => a.Kind == SampleKind && File.Exists(a.Path))
            .Select(a => new TextArtifact(Path.GetFileNameWithoutExtension(a.Path), StepOf(a.Path), File.ReadAllText(a.Path)))
            .OrderBy(t => t.Step)
            .ToList();
        return new ReportRun(run.Id, run.Name, run.EffectiveStatus.ToName(), run.StartedAt, run.EndedAt, run.Device,
            run.GitCommit, run.GitDirty, run.Seed, run.TorchVersion ?? "unknown", $"workbench rerun {run.Id}", run.ConfigJson,
            run.GroupHash, run.Tags, run.Notes, run.Summary, metrics, texts);
    }

    /// <summary>Writes runs/&lt;id&gt;/report.html against the spec's baseline when that resolves, alone otherwise.</summary>
    public static string? WriteForRun(RunStore store, RunRecord run, string? baselineReference)
    {
        var baseline = baselineReference is { } reference ? TryResolve(store, reference) : null;
        var path = Path.Combine(run.RunDir, "report.html");
        var runs = new List<ReportRun> { ToReportRun(store, run) };
        Write(path, runs, baseline != null && baseline.Id != run.Id ? ToReportRun(store, baseline) : null, run);
        return path;
    }

    public static void Write(string path, IReadOnlyList<ReportRun> runs, ReportRun? baseline, RunRecord? primary = null) =>
        ReportBuilder.Write(path, runs, baseline, Options(runs, baseline, primary));

    /// <summary>
    /// Writes the Markdown summary to <paramref name="path"/> (FILE.md) and its charts to FILE_files/
    /// beside it, each file atomically; the charts first, so the summary never links a missing image.
    /// </summary>
    public static void WriteMarkdown(string path, IReadOnlyList<ReportRun> runs, ReportRun? baseline, RunRecord? primary = null)
    {
        var full = Path.GetFullPath(path);
        var chartFolder = $"{Path.GetFileNameWithoutExtension(full)}_files";
        var summary = MarkdownSummary.Build(runs, baseline, Options(runs, baseline, primary), chartFolder);
        foreach (var chart in summary.Charts)
        {
            AtomicFile.Write(Path.Combine(Path.GetDirectoryName(full)!, chartFolder, chart.FileName), stream => stream.Write(chart.Png));
        }
        AtomicFile.WriteAllText(full, summary.Text);
    }

    // The primary run's metric is the one whose goal its spec states, and the one a summary's runs table shows.
    private static ReportOptions Options(IReadOnlyList<ReportRun> runs, ReportRun? baseline, RunRecord? primary)
    {
        var title = runs.Count == 1 ? $"{runs[0].Name} ({runs[0].Id})" : $"{runs.Count} runs" + (baseline != null ? $" vs {baseline.Name}" : "");
        var goals = primary != null ? new Dictionary<string, string> { [primary.MetricName] = primary.MetricGoal.ToName() } : null;
        return new ReportOptions(title, MetricTable.Catalog, goals, primary?.MetricName);
    }

    private static RunRecord? TryResolve(RunStore store, string reference)
    {
        try { return store.Resolve(reference); }
        catch (RunStoreException) { return null; }
    }

    // Sample files are named sample-<step>.txt.
    private static long StepOf(string path) =>
        long.TryParse(Path.GetFileNameWithoutExtension(path).Split('-').Last(), out var step) ? step : 0;
}
