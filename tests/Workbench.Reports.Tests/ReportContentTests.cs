// The report file: what it contains, escaping of run data, no external URLs, atomic write.
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Workbench.Reports.Tests;

public sealed partial class ReportContentTests
{
    private const string Hostile = "<img src=x onerror=alert(1)>";

    private static (ReportRun Baseline, ReportRun Hostile, ReportRun Other) Runs()
    {
        var baseline = SampleRuns.Run("baseline-mlp", id: "base0001", groupHash: "g0");
        var hostile = SampleRuns.Run(Hostile, id: "evil0001", groupHash: "g1", lossScale: 0.8,
            tags: ["<script>alert(2)</script>"], notes: "</script><script>alert(3)</script>",
            configJson: """{"name":"<b>x</b>","seed":1,"train":{"optimizer":{"name":"adam","lr":0.003}}}""",
            texts: [new TextArtifact("sample </pre><script>alert(4)</script>", 2000, "Once upon a time <i>not italic</i>\n  indented")]);
        var other = SampleRuns.Run("wide-mlp", id: "wide0001", groupHash: "g2", lossScale: 1.1);
        return (baseline, hostile, other);
    }

    private static string Build() =>
        ReportBuilder.Build([Runs().Hostile, Runs().Other], Runs().Baseline, new ReportOptions("Compare <runs>", SampleRuns.Metrics));

    [Fact]
    public void Run_names_tags_notes_config_values_and_texts_are_escaped()
    {
        // Given runs whose name, tags, notes, config and sample text hold markup
        // When the report is built
        var html = Build();

        // Then the markup shows as text and no injected tag exists
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html);
        Assert.DoesNotContain(Hostile, html);
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<b>x</b>", html);
        Assert.DoesNotContain("<i>not italic</i>", html);
        Assert.Contains("&lt;i&gt;not italic&lt;/i&gt;", html);
        Assert.Contains("<title>Compare &lt;runs&gt;</title>", html);
    }

    [Fact]
    public void The_embedded_data_block_is_non_executable_json_that_cannot_close_its_tag()
    {
        var html = Build();
        var block = DataBlock().Match(html);
        Assert.True(block.Success);
        var json = block.Groups[1].Value;

        // Then the block holds no `<` at all (so neither `</script` nor `<!--`), and parses back to the hostile label
        Assert.DoesNotContain("<", json);
        using var document = JsonDocument.Parse(json);
        var labels = document.RootElement.GetProperty("entities").EnumerateArray().Select(e => e.GetProperty("label").GetString()).ToList();
        Assert.Equal(["baseline-mlp", Hostile, "wide-mlp"], labels);
    }

    [Fact]
    public void The_report_holds_no_external_url()
    {
        var html = Build();
        Assert.DoesNotMatch(@"(?i)(https?:|ftp:|//[a-z0-9-]+\.[a-z]{2,}/)", html);
        Assert.DoesNotContain("src=\"", html);
    }

    [Fact]
    public void Every_curve_is_at_most_2000_points_and_rounded_to_seven_digits()
    {
        // Given a run with 50k logged steps
        var run = SampleRuns.Run("long", id: "long0001", steps: 50_000);
        var html = ReportBuilder.Build([run], null, new ReportOptions("long", SampleRuns.Metrics));

        using var document = JsonDocument.Parse(DataBlock().Match(html).Groups[1].Value);
        var series = document.RootElement.GetProperty("charts").EnumerateArray().SelectMany(c => c.GetProperty("series").EnumerateArray()).ToList();
        Assert.NotEmpty(series);
        foreach (var s in series)
        {
            var y = s.GetProperty("y");
            Assert.InRange(y.GetArrayLength(), 100, 2000);
            Assert.Equal(y.GetArrayLength(), s.GetProperty("s").GetArrayLength());
            Assert.All(y.EnumerateArray(), v => Assert.True(v.GetRawText().Count(char.IsDigit) <= 7 + 2, v.GetRawText()));
        }
        // And the axis metrics are x axes, not charts
        Assert.DoesNotContain(series, s => s.GetProperty("m").GetString() is "epoch" or "tokens");
    }

    [Fact]
    public void The_summary_shows_each_run_with_baseline_deltas_coloured_by_goal()
    {
        var html = Build();
        // The hostile run has 0.8x the baseline loss in its summary: better, -20%.
        Assert.Contains("<td class=\"better\">0.24<span class=\"delta\">-0.06 (-20.0%)</span></td>", html);
        // The wide run has 1.1x: worse, +10%.
        Assert.Contains("<td class=\"worse\">0.33<span class=\"delta\">+0.03 (+10.0%)</span></td>", html);
    }

    [Fact]
    public void The_config_section_marks_only_differing_keys_and_offers_all()
    {
        var html = Build();
        Assert.Contains("<tr class=\"differs\"><td class=\"key\">train.optimizer.lr</td>", html);
        Assert.Contains("<tr class=\"same\"><td class=\"key\">seed</td>", html);
        Assert.Contains("Show all keys", html);
    }

    [Fact]
    public void Seed_groups_are_shown_as_mean_with_a_min_max_band_and_mean_std_in_the_table()
    {
        // Given a baseline and a compared config, each with three seeds
        var baseline = SampleRuns.Run("base", id: "b0", groupHash: "gb", seed: 1);
        var runs = new List<ReportRun>
        {
            SampleRuns.Run("base", id: "b1", groupHash: "gb", seed: 2),
            SampleRuns.Run("base", id: "b2", groupHash: "gb", seed: 3),
        };
        runs.AddRange(Enumerable.Range(0, 3).Select(i => SampleRuns.Run("new", id: $"n{i}", groupHash: "gn", seed: i + 1,
            summary: new Dictionary<string, double> { ["val/loss"] = 0.3 + i * 0.01, ["val/acc"] = 0.9 })));

        var html = ReportBuilder.Build(runs, baseline, new ReportOptions("seeds", SampleRuns.Metrics));

        using var document = JsonDocument.Parse(DataBlock().Match(html).Groups[1].Value);
        var entities = document.RootElement.GetProperty("entities").EnumerateArray().ToList();
        Assert.Equal(["base (3 seeds)", "new (3 seeds)"], entities.Select(e => e.GetProperty("label").GetString()));
        var loss = document.RootElement.GetProperty("charts")[0].GetProperty("series")[0];
        Assert.True(loss.TryGetProperty("lo", out _) && loss.TryGetProperty("hi", out _));
        Assert.Contains("0.31 ± 0.01 (n=3)", html);
        Assert.Contains("not significant (p ≥ 0.05)", html);
    }

    [Fact]
    public void Writing_a_report_replaces_the_file_atomically_and_leaves_no_temporary_file()
    {
        var folder = Directory.CreateTempSubdirectory("wb-report-");
        try
        {
            var path = Path.Combine(folder.FullName, "nested", "report.html");
            var (baseline, hostile, _) = Runs();
            ReportBuilder.Write(path, [hostile], baseline, new ReportOptions("one", SampleRuns.Metrics));
            ReportBuilder.Write(path, [hostile], baseline, new ReportOptions("two", SampleRuns.Metrics));

            Assert.Contains("<title>two</title>", File.ReadAllText(path));
            Assert.Equal(["report.html"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_config_that_is_not_json_is_an_error_naming_the_run()
    {
        var run = SampleRuns.Run("broken", id: "brk00001", configJson: "{not json");
        var error = Assert.Throws<FormatException>(() => ReportBuilder.Build([run], null, new ReportOptions("x", SampleRuns.Metrics)));
        Assert.Contains("brk00001", error.Message);
    }

    [Fact]
    public void A_missing_chart_library_says_to_run_make_build()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ReportAssets.Read("missing.js"));
        Assert.Contains("make build", error.Message);
    }

    [Fact]
    public void A_series_with_more_steps_than_values_is_an_error_naming_run_and_metric()
    {
        var run = SampleRuns.Run("odd", id: "odd00001") with
        {
            Metrics = new Dictionary<string, MetricSeriesData> { ["train/loss"] = new([1, 2, 3], [0.5, 0.4], null) },
        };
        var error = Assert.Throws<ArgumentException>(() => ReportBuilder.Build([run], null, new ReportOptions("x", SampleRuns.Metrics)));
        Assert.Contains("odd00001", error.Message);
        Assert.Contains("train/loss", error.Message);
    }

    [GeneratedRegex("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex DataBlock();
}
