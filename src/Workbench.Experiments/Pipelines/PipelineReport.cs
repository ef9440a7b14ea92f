// Writes a pipeline's report: its chain of stage runs, each stage's headline metrics against the stage
// before it over the seeds, then the usual sections (runs, summary, config, curves) over all its runs.
using Workbench.Experiments.Catalog;
using Workbench.Experiments.Runs;
using Workbench.Reports;
using Workbench.Tracking;

namespace Workbench.Experiments.Pipelines;

public static class PipelineReport
{
    /// <summary>Compared stage against stage besides each stage's primary metric, when its runs log it (the post-training stages do).</summary>
    private static readonly string[] Headline = ["val/exact_match"];

    /// <summary>Where a pipeline's report goes: reports/pipeline-&lt;name&gt;.html in the runs folder.</summary>
    public static string PathFor(RunStore store, string pipelineName) =>
        Path.Combine(store.RunsDirectory, "reports", $"pipeline-{pipelineName}.html");

    /// <summary>Writes the report of the runs <paramref name="outcomes"/> name (chain by chain, in stage order); returns its path.</summary>
    public static string Write(StoreLocation location, PipelineSpec pipeline, IReadOnlyList<StageOutcome> outcomes)
    {
        using var store = RunStore.Open(location);
        var records = outcomes.Select(o => store.Get(o.Run.RunId)).ToList();
        var runs = records.Select(r => RunReports.ToReportRun(store, r)).ToList();
        // Outcomes come chain by chain; a chain that stopped early is shorter, so a chain starts where the first stage comes round.
        var chains = new List<List<ReportRun>>();
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i].Stage == pipeline.Stages[0].Name) chains.Add([]);
            chains[^1].Add(runs[i]);
        }
        var steps = pipeline.Stages.Select(stage => new PipelineStep(stage.Name, stage.InitFromStage, Metrics(stage, records, outcomes))).ToList();
        var goals = records.GroupBy(r => r.MetricName).ToDictionary(g => g.Key, g => g.First().MetricGoal.ToName());
        var path = PathFor(store, pipeline.Name);
        ReportBuilder.Write(path, runs, null, new ReportOptions($"pipeline {pipeline.Name}", MetricTable.Catalog, goals,
            Pipeline: new PipelineChain(pipeline.Name, steps, chains)));
        return path;
    }

    // The stage's primary metric, then each headline metric any of its runs logged.
    private static List<string> Metrics(PipelineStage stage, IReadOnlyList<RunRecord> records, IReadOnlyList<StageOutcome> outcomes)
    {
        var own = records.Where((_, i) => outcomes[i].Stage == stage.Name).ToList();
        var metrics = new List<string> { stage.Preview.Metric.Name };
        metrics.AddRange(Headline.Where(m => !metrics.Contains(m) && own.Any(r => r.Summary.ContainsKey(m))));
        return metrics;
    }
}
