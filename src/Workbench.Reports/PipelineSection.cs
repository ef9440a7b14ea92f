// A pipeline report's own section: the chain of stages with each seed's run, and each stage's headline
// metrics over its seeds (mean ± std) against the stage before it (the one it starts from, else the one
// listed before it), with Welch's test when both have two or more seeds: did SFT beat the base model, did
// DPO beat SFT, or is the difference seed noise. A stage that starts from another's runs is also compared
// seed by seed (each run against the run it started from) by the paired t-test, which takes out how much the
// starting runs differ between seeds: the question "did this stage improve on its own start".
using System.Globalization;
using System.Text;

namespace Workbench.Reports;

/// <summary>
/// A pipeline as its report shows it: its stages in order, and one chain of runs per seed,
/// <c>Chains[k][i]</c> being stage i's run in chain k (a chain that stopped early is shorter).
/// </summary>
public sealed record PipelineChain(string Name, IReadOnlyList<PipelineStep> Stages, IReadOnlyList<IReadOnlyList<ReportRun>> Chains);

/// <summary>One stage: its name, the stage whose run it starts from (or null), and the metrics its row compares.</summary>
public sealed record PipelineStep(string Name, string? InitFrom, IReadOnlyList<string> Metrics);

internal static class PipelineSection
{
    public static void Write(StringBuilder html, PipelineChain pipeline, ReportOptions options)
    {
        html.Append("<section id=\"pipeline\"><h2>Pipeline</h2>\n<p>")
            .Append(string.Join(" → ", pipeline.Stages.Select(s => $"<b>{Text(s.Name)}</b>" + (s.InitFrom is { } from ? $" <small>(from {Text(from)})</small>" : ""))))
            .Append("</p>\n");
        Chains(html, pipeline);
        Stages(html, pipeline, options);
        html.Append("</section>\n");
    }

    // One row per chain (seed), one column per stage: the run each produced.
    private static void Chains(StringBuilder html, PipelineChain pipeline)
    {
        html.Append("<div class=\"scroll\"><table class=\"runs chain\">\n<thead><tr><th>Seed</th>");
        foreach (var stage in pipeline.Stages) html.Append("<th>").Append(Text(stage.Name)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var chain in pipeline.Chains)
        {
            var seeds = chain.Select(r => r.Seed).Distinct().ToList();
            html.Append("<tr><td>").Append(seeds.Count == 1 ? seeds[0].ToString(CultureInfo.InvariantCulture) : "each stage's own").Append("</td>");
            for (var i = 0; i < pipeline.Stages.Count; i++)
            {
                if (i >= chain.Count)
                {
                    html.Append("<td class=\"absent\">not run</td>");
                    continue;
                }
                var run = chain[i];
                html.Append("<td><code>").Append(Text(run.Id)).Append("</code> <span class=\"status-").Append(Text(run.Status.ToLowerInvariant()))
                    .Append("\">").Append(Text(run.Status)).Append("</span></td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody></table></div>\n");
    }

    // One row per stage and metric: the seeds' mean ± std, and the change from the stage before it.
    private static void Stages(StringBuilder html, PipelineChain pipeline, ReportOptions options)
    {
        html.Append("<h3>Stage against stage</h3>\n<div class=\"scroll\"><table class=\"summary stages\">\n<thead><tr>")
            .Append("<th>Stage</th><th>Metric</th><th>Over seeds<br><small>mean ± std (n)</small></th><th>Against the stage before</th></tr></thead>\n<tbody>\n");
        for (var i = 0; i < pipeline.Stages.Count; i++)
        {
            var stage = pipeline.Stages[i];
            // DPO is compared with the SFT model it starts from, not with the reward model listed before it.
            var previous = stage.InitFrom is { } from ? pipeline.Stages.ToList().FindIndex(s => s.Name == from) : i - 1;
            foreach (var metric in stage.Metrics)
            {
                var values = Values(pipeline, i, metric);
                html.Append("<tr><td class=\"name\">").Append(Text(stage.Name)).Append("</td><td>").Append(Text(metric)).Append("</td>")
                    .Append("<td>").Append(Text(Describe(values))).Append("</td>");
                var before = previous >= 0 ? Values(pipeline, previous, metric) : [];
                if (values.Count == 0 || before.Count == 0)
                {
                    html.Append("<td>").Append(previous < 0 ? "first stage" : $"{Text(pipeline.Stages[previous].Name)} does not log it").Append("</td></tr>\n");
                    continue;
                }
                double mean = Statistics.Mean(values), reference = Statistics.Mean(before);
                var note = values.Count >= 2 && before.Count >= 2
                    ? GroupSummary.Describe(Statistics.WelchTTest(values, before))
                    : "no p-value: both stages need 2 or more seeds";
                if (stage.InitFrom is not null && Paired(pipeline, i, previous, metric) is { Count: >= 2 } pairs)
                {
                    var differences = pairs.Select(p => p.After - p.Before).ToList();
                    note += $"; seed by seed, against the run each started from: {ReportNumbers.Signed(Statistics.Mean(differences))} " +
                            $"± {ReportNumbers.Display(Statistics.Std(differences))} (n={differences.Count}), " +
                            GroupSummary.Describe(Statistics.PairedTTest([.. pairs.Select(p => p.After)], [.. pairs.Select(p => p.Before)]));
                }
                var verdict = Comparison.Judge(mean, reference, options.Metrics.GoalOf(metric, options.Goals));
                ReportSections.DeltaCell(html, $"{pipeline.Stages[previous].Name}: {Describe(before)}", mean - reference,
                    reference == 0 ? null : (mean - reference) / Math.Abs(reference), verdict, note);
                html.Append("</tr>\n");
            }
        }
        html.Append("</tbody></table></div>\n");
    }

    // The finite summary values of a metric over the chains' runs of stage `index`.
    private static List<double> Values(PipelineChain pipeline, int index, string metric) =>
        pipeline.Chains.Where(c => index < c.Count)
            .Select(c => c[index].Summary.TryGetValue(metric, out var v) ? v : double.NaN)
            .Where(double.IsFinite)
            .ToList();

    // The chains that have a finite value of the metric at both stages: (stage `before`'s, stage `after`'s).
    private static List<(double Before, double After)> Paired(PipelineChain pipeline, int after, int before, string metric) =>
        pipeline.Chains.Where(c => after < c.Count && before < c.Count)
            .Select(c => (Before: c[before].Summary.GetValueOrDefault(metric, double.NaN), After: c[after].Summary.GetValueOrDefault(metric, double.NaN)))
            .Where(p => double.IsFinite(p.Before) && double.IsFinite(p.After))
            .ToList();

    private static string Describe(IReadOnlyList<double> values) => values.Count switch
    {
        0 => "—",
        1 => ReportNumbers.Display(values[0]),
        _ => $"{ReportNumbers.Display(Statistics.Mean(values))} ± {ReportNumbers.Display(Statistics.Std(values))} (n={values.Count})",
    };

    private static string Text(string text) => HtmlText.Escape(text);
}
