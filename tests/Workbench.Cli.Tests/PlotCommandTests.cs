// End-to-end: `workbench plot` and `workbench compare --out FILE.md` on small real runs, and every bad
// input refused with exit 2 and no file left behind.
using System.Buffers.Binary;
using System.Xml.Linq;

namespace Workbench.Cli.Tests;

/// <summary>Four small runs shared by the tests: xor with two seeds, xor at a lower rate, and linear regression.</summary>
public sealed class PlotRuns : IDisposable
{
    private const string Xor = """
        name: xor
        seed: 1
        threads: 1
        device: cpu
        data: {dataset: xor}
        model: {kind: perceptron, hidden: 2, activation: sigmoid}
        train: {optimizer: {name: sgd, lr: 1.0}, batch_size: 4, epochs: 200, log_every: 10, eval: {every: 50}}
        """;

    private const string LinRegSpec = """
        name: linreg
        seed: 7
        threads: 1
        device: cpu
        data: {dataset: linreg, split: {val: 0.2}}
        model: {kind: linear}
        train: {optimizer: {name: sgd, lr: 0.05}, batch_size: 32, epochs: 5, log_every: 5, eval: {every: 10}}
        """;

    public PlotRuns()
    {
        var xor = Cli.Write("xor.yaml", Xor);
        XorSeed1 = Cli.Run("run", xor).LastLine;
        XorSeed2 = Cli.Run("run", xor, "--set", "seed=2").LastLine;
        XorSlow = Cli.Run("run", xor, "--set", "train.optimizer.lr=0.5", "--name", "xor-slow").LastLine;
        LinReg = Cli.Run("run", Cli.Write("linreg.yaml", LinRegSpec)).LastLine;
    }

    public CliRunner Cli { get; } = new();
    public string XorSeed1 { get; }
    public string XorSeed2 { get; }
    public string XorSlow { get; }
    public string LinReg { get; }

    public void Dispose() => Cli.Dispose();
}

public sealed class PlotCommandTests(PlotRuns runs) : IClassFixture<PlotRuns>
{
    private CliRunner Cli => runs.Cli;

    // A fresh folder inside the runner's scratch folder, which the fixture deletes.
    private string Folder() => Directory.CreateDirectory(Path.Combine(Cli.Directory, "out", Guid.NewGuid().ToString("N"))).FullName;

    private string Output(string name) => Path.Combine(Folder(), name);

    private static List<string> SvgText(string path) =>
        XDocument.Load(path).Root!.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToList();

    [Fact]
    public void A_png_of_the_default_size_is_written_and_its_path_printed()
    {
        var path = Output("xor.png");

        var plot = Cli.Run("plot", runs.XorSeed1, runs.XorSlow, "--out", path);

        Assert.True(plot.ExitCode == 0, plot.Stderr);
        Assert.Equal(path, plot.LastLine);
        var png = File.ReadAllBytes(path);
        Assert.Equal(800, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(500, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }

    [Fact]
    public void Without_metric_it_draws_the_primary_metric_and_its_training_counterpart()
    {
        // linreg's metric is val/loss, which has train/loss; xor's is val/acc, and it logs no train/acc
        var linreg = Output("linreg.svg");
        var xor = Output("xor.svg");

        Assert.Equal(0, Cli.Run("plot", runs.LinReg, "--out", linreg).ExitCode);
        Assert.Equal(0, Cli.Run("plot", runs.XorSeed1, "--out", xor).ExitCode);

        Assert.Contains("linreg · val/loss", SvgText(linreg));
        Assert.Contains("linreg · train/loss", SvgText(linreg));
        Assert.Contains("xor · val/acc", SvgText(xor));
        Assert.DoesNotContain(SvgText(xor), t => t.Contains("train/"));
    }

    [Fact]
    public void An_svg_takes_the_size_metrics_axis_smoothing_and_log_scale_asked_for()
    {
        var path = Output("loss.svg");

        var plot = Cli.Run("plot", runs.XorSeed1, runs.XorSeed2, runs.XorSlow, "--metric", "train/loss", "--metric", "val/loss",
            "--x", "epoch", "--smooth", "0.6", "--log-y", "--size", "640x400", "--out", path);

        Assert.True(plot.ExitCode == 0, plot.Stderr);
        var svg = XDocument.Load(path).Root!;
        Assert.Equal(("640", "400"), (svg.Attribute("width")?.Value, svg.Attribute("height")?.Value));
        var text = SvgText(path);
        Assert.Contains("Loss", text);
        Assert.Contains("epoch", text);
        Assert.Contains("Loss (log scale)", text);
        Assert.Contains("xor (2 seeds) · train/loss (mean)", text);
        Assert.Contains("xor-slow · val/loss", text);
    }

    [Theory]
    [InlineData("unknown run", "no run matches 'no-such-run'")]
    [InlineData("unknown metric", "no run logged the metric 'val/perplexity'")]
    [InlineData("unknown extension", "the image's extension must be .png or .svg")]
    [InlineData("run with no points", "has no points of val/acc")]
    [InlineData("axis the run lacks", "it logged no 'tokens' metric")]
    [InlineData("bad size", "--size 800by500")]
    [InlineData("bad smoothing", "--smooth 1: the smoothing weight must be at least 0 and below 1")]
    [InlineData("a folder as the image", "cannot write")]
    [InlineData("a file as the folder", "cannot write")]
    public void Bad_input_exits_2_naming_the_problem_and_leaves_no_file(string what, string expected)
    {
        var folder = Folder();
        var path = Path.Combine(folder, what == "unknown extension" ? "chart.jpg" : "chart.png");
        string[] args = what switch
        {
            "unknown run" => ["plot", "no-such-run", "--out", path],
            "unknown metric" => ["plot", runs.XorSeed1, "--metric", "val/perplexity", "--out", path],
            "run with no points" => ["plot", runs.XorSeed1, runs.LinReg, "--metric", "val/acc", "--out", path],
            "axis the run lacks" => ["plot", runs.XorSeed1, "--x", "tokens", "--out", path],
            "bad size" => ["plot", runs.XorSeed1, "--size", "800by500", "--out", path],
            "bad smoothing" => ["plot", runs.XorSeed1, "--smooth", "1", "--out", path],
            _ => ["plot", runs.XorSeed1, "--out", path],
        };
        if (what == "a folder as the image") Directory.CreateDirectory(path);
        if (what == "a file as the folder")
        {
            File.WriteAllText(Path.Combine(folder, "notes"), "a file");
            path = Path.Combine(folder, "notes", "chart.png");
            args[^1] = path;
        }

        var plot = Cli.Run(args);

        Assert.True(plot.ExitCode == 2, $"exit {plot.ExitCode}: {plot.Stderr}");
        Assert.Contains(expected, plot.Stderr);
        Assert.DoesNotContain("   at ", plot.Stderr);
        Assert.Equal("", plot.Stdout);
        Assert.False(File.Exists(path), $"{path} was written");
        Assert.DoesNotContain(Directory.GetFiles(folder), f => Path.GetFileName(f) != "notes");
    }

    [Fact]
    public void Compare_to_a_markdown_file_writes_the_summary_and_its_charts_beside_it()
    {
        var path = Output("xor results.md");

        var compare = Cli.Run("compare", runs.XorSeed1, runs.XorSeed2, "--baseline", runs.XorSlow, "--out", path);

        Assert.True(compare.ExitCode == 0, compare.Stderr);
        Assert.Equal(path, compare.LastLine);
        var markdown = File.ReadAllText(path);
        Assert.Contains($"| xor-slow (baseline) | `{runs.XorSlow}` | finished |", markdown);
        Assert.Contains("| train.optimizer.lr | 0.5 | **1** | **1** |", markdown);
        Assert.Contains("(n=2)", markdown);
        // And every linked chart is a PNG in the folder beside the file
        var links = System.Text.RegularExpressions.Regex.Matches(markdown, @"!\[[^\]]*\]\(([^)]+)\)").Select(m => Uri.UnescapeDataString(m.Groups[1].Value)).ToList();
        Assert.Contains("xor results_files/01-loss.png", links);
        Assert.All(links, link => Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(path)!, link)), link));
    }

    [Fact]
    public void Compare_to_a_markdown_path_that_cannot_be_written_exits_2_and_writes_no_summary()
    {
        var folder = Folder();
        var path = Path.Combine(folder, "summary.md");
        Directory.CreateDirectory(path);

        var compare = Cli.Run("compare", runs.XorSeed1, runs.XorSlow, "--out", path);

        Assert.True(compare.ExitCode == 2, $"exit {compare.ExitCode}: {compare.Stderr}");
        Assert.Contains("cannot write", compare.Stderr);
        Assert.DoesNotContain("   at ", compare.Stderr);
        Assert.False(File.Exists(path));
    }
}
