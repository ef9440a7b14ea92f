// A pipeline report's own section: the chain of runs by seed, and each stage against the one before it.
using System.Text.RegularExpressions;

namespace Workbench.Reports.Tests;

public sealed class PipelineSectionTests
{
    // Stage `stage`'s run of seed `seed`, whose summary holds one metric.
    private static ReportRun Run(string stage, long seed, double value, string metric = "val/loss") =>
        SampleRuns.Run($"p-{stage}", id: $"{stage}{seed:0000000}", groupHash: stage, seed: seed, summary: new Dictionary<string, double> { [metric] = value });

    // The report of pipeline p over the chains.
    private static string Report(IReadOnlyList<PipelineStep> stages, List<IReadOnlyList<ReportRun>> chains) =>
        ReportBuilder.Build(chains.SelectMany(c => c).ToList(), null, new ReportOptions("pipeline p", SampleRuns.Metrics, Pipeline: new PipelineChain("p", stages, chains)));

    // The stage-against-stage row of one stage and metric.
    private static string Row(string html, string stage, string metric = "val/loss") =>
        Regex.Match(html, $"<tr><td class=\"name\">{stage}</td><td>{metric}</td>.*?</tr>").Value;

    [Fact]
    public void Each_stage_is_compared_with_the_stage_before_over_the_seeds_with_welchs_test()
    {
        // Given a two-stage pipeline over three seeds where the second stage lowers val/loss clearly,
        // and a third seed's chain that stopped after the first stage
        var chains = new List<IReadOnlyList<ReportRun>>
        {
            new[] { Run("a", 1, 1.00), Run("b", 1, 0.50) },
            new[] { Run("a", 2, 1.02), Run("b", 2, 0.52) },
            new[] { Run("a", 3, 0.98) },
        };

        // When its report is built
        var html = Report([new PipelineStep("a", null, ["val/loss"]), new PipelineStep("b", "a", ["val/loss"])], chains);

        // Then the chain lists each seed's runs, the stopped chain's missing stage as not run
        Assert.Contains("<b>a</b> → <b>b</b> <small>(from a)</small>", html);
        Assert.Contains("<td class=\"absent\">not run</td>", html);
        // and stage b (mean 0.51 over 2 seeds) is better than stage a (mean 1 over 3), significantly
        var row = Row(html, "b");
        Assert.Contains("0.51 ± 0.01414 (n=2)", row);
        Assert.Contains("<td class=\"better\">a: 1 ± 0.02 (n=3)", row);
        Assert.Contains("-0.49", row);
        Assert.Contains("(Welch&#39;s t-test): significant", row);
        Assert.Contains("first stage", Regex.Match(html, "<tr><td class=\"name\">a</td>.*?</tr>").Value);
    }

    [Fact]
    public void A_stage_is_compared_with_the_stage_it_starts_from_not_the_one_listed_before_it()
    {
        // Given sft -> reward and sft -> dpo: dpo is listed after reward but starts from sft
        var chains = new List<IReadOnlyList<ReportRun>>
        {
            new[] { Run("sft", 1, 0.40), Run("reward", 1, 0.30), Run("dpo", 1, 0.42) },
            new[] { Run("sft", 2, 0.44), Run("reward", 2, 0.31), Run("dpo", 2, 0.45) },
        };

        var html = Report([new PipelineStep("sft", null, ["val/loss"]), new PipelineStep("reward", "sft", ["val/loss"]),
            new PipelineStep("dpo", "sft", ["val/loss"])], chains);

        var row = Row(html, "dpo");
        Assert.Contains("sft: 0.42 ± 0.02828 (n=2)", row);
        Assert.DoesNotContain("reward:", row);
    }

    [Fact]
    public void A_stage_that_gains_on_every_seed_is_tested_seed_by_seed_against_its_own_start()
    {
        // Given sft runs that differ a lot between seeds, and grpo runs that each gain about 0.05 on their own start
        const string exact = "val/exact_match";
        var chains = new List<IReadOnlyList<ReportRun>>
        {
            new[] { Run("sft", 1, 0.60, exact), Run("grpo", 1, 0.65, exact) },
            new[] { Run("sft", 2, 0.70, exact), Run("grpo", 2, 0.74, exact) },
            new[] { Run("sft", 3, 0.80, exact), Run("grpo", 3, 0.86, exact) },
        };

        var html = Report([new PipelineStep("sft", null, [exact]), new PipelineStep("grpo", "sft", [exact])], chains);

        // Then Welch's test over the two groups sees seed noise, while the paired test sees the gain
        // (differences 0.05, 0.04, 0.06: t = 8.66 with 2 degrees of freedom, p = 0.0131)
        var row = Row(html, "grpo", exact);
        Assert.Contains("(Welch&#39;s t-test): not significant", row);
        Assert.Contains("seed by seed, against the run each started from: +0.05 ± 0.01 (n=3), p = 0.013 (paired t-test): significant", row);
    }

    [Fact]
    public void A_stage_that_does_not_start_from_another_gets_no_paired_test()
    {
        var chains = new List<IReadOnlyList<ReportRun>>
        {
            new[] { Run("a", 1, 1.00), Run("b", 1, 0.50) },
            new[] { Run("a", 2, 1.02), Run("b", 2, 0.52) },
        };

        var html = Report([new PipelineStep("a", null, ["val/loss"]), new PipelineStep("b", null, ["val/loss"])], chains);

        Assert.Contains("(Welch&#39;s t-test)", Row(html, "b"));
        Assert.DoesNotContain("paired t-test", html);
    }
}
