// A pipeline report's own section: the chain of runs by seed, and each stage against the one before it.
using System.Text.RegularExpressions;

namespace Workbench.Reports.Tests;

public sealed class PipelineSectionTests
{
    [Fact]
    public void Each_stage_is_compared_with_the_stage_before_over_the_seeds_with_welchs_test()
    {
        // Given a two-stage pipeline over three seeds where the second stage lowers val/loss clearly,
        // and a third seed's chain that stopped after the first stage
        ReportRun Run(string stage, long seed, double loss) =>
            SampleRuns.Run($"p-{stage}", id: $"{stage}{seed:0000000}", groupHash: stage, seed: seed,
                summary: new Dictionary<string, double> { ["val/loss"] = loss });
        var chains = new List<IReadOnlyList<ReportRun>>
        {
            new[] { Run("a", 1, 1.00), Run("b", 1, 0.50) },
            new[] { Run("a", 2, 1.02), Run("b", 2, 0.52) },
            new[] { Run("a", 3, 0.98) },
        };
        var pipeline = new PipelineChain("p", [new PipelineStep("a", null, ["val/loss"]), new PipelineStep("b", "a", ["val/loss"])], chains);

        // When its report is built
        var html = ReportBuilder.Build(chains.SelectMany(c => c).ToList(), null, new ReportOptions("pipeline p", SampleRuns.Metrics, Pipeline: pipeline));

        // Then the chain lists each seed's runs, the stopped chain's missing stage as not run
        Assert.Contains("<b>a</b> → <b>b</b> <small>(from a)</small>", html);
        Assert.Contains("<td class=\"absent\">not run</td>", html);
        // and stage b (mean 0.51 over 2 seeds) is better than stage a (mean 1 over 3), significantly
        var row = Regex.Match(html, "<tr><td class=\"name\">b</td><td>val/loss</td>.*?</tr>").Value;
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
        ReportRun Run(string stage, long seed, double exact) =>
            SampleRuns.Run($"p-{stage}", id: $"{stage}{seed:0000000}", groupHash: stage, seed: seed,
                summary: new Dictionary<string, double> { ["val/loss"] = exact });
        var chains = new List<IReadOnlyList<ReportRun>>
        {
            new[] { Run("sft", 1, 0.40), Run("reward", 1, 0.30), Run("dpo", 1, 0.42) },
            new[] { Run("sft", 2, 0.44), Run("reward", 2, 0.31), Run("dpo", 2, 0.45) },
        };
        var pipeline = new PipelineChain("p", [new PipelineStep("sft", null, ["val/loss"]), new PipelineStep("reward", "sft", ["val/loss"]),
            new PipelineStep("dpo", "sft", ["val/loss"])], chains);

        var html = ReportBuilder.Build(chains.SelectMany(c => c).ToList(), null, new ReportOptions("pipeline p", SampleRuns.Metrics, Pipeline: pipeline));

        var row = Regex.Match(html, "<tr><td class=\"name\">dpo</td><td>val/loss</td>.*?</tr>").Value;
        Assert.Contains("sft: 0.42 ± 0.02828 (n=2)", row);
        Assert.DoesNotContain("reward:", row);
    }
}
