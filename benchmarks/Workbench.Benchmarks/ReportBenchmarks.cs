// Report size and build time for 20 runs x 6 metrics x 100k steps, against serializing the raw points.
//   dotnet run -c Release --project benchmarks/Workbench.Benchmarks -- --filter '*ReportBenchmarks*'
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Workbench.Experiments.Catalog;
using Workbench.Reports;

namespace Workbench.Benchmarks;

[MemoryDiagnoser]
public class ReportBenchmarks
{
    public const int Runs = 20;
    public const int Steps = 100_000;
    public static readonly string[] MetricNames = ["train/loss", "val/loss", "val/acc", "lr", "grad_norm", "tokens_per_s"];

    private List<ReportRun> _runs = [];
    private ReportRun _baseline = null!;

    [GlobalSetup]
    public void Setup()
    {
        _runs = Enumerable.Range(0, Runs).Select(MakeRun).ToList();
        _baseline = _runs[0];
    }

    /// <summary>The whole report: comparison, LTTB over 120 series of 100k points, HTML with uPlot inlined.</summary>
    [Benchmark]
    public int BuildReport() => ReportBuilder.Build(_runs, _baseline, new ReportOptions("benchmark", MetricTable.Catalog)).Length;

    /// <summary>Reference: System.Text.Json writing every raw point, what a report without downsampling would embed.</summary>
    [Benchmark(Baseline = true)]
    public int SerializeRawPoints() =>
        JsonSerializer.Serialize(_runs.Select(r => r.Metrics.ToDictionary(m => m.Key, m => new { s = m.Value.Steps, y = m.Value.Values }))).Length;

    // Noisy curves with full-precision values, so every embedded number uses all 7 digits (the worst case for size).
    public static ReportRun MakeRun(int index)
    {
        var random = new Random(index);
        var steps = Enumerable.Range(1, Steps).Select(s => (long)s).ToArray();
        var wall = steps.Select(s => 1.7e9 + s * 0.031).ToArray();
        MetricSeriesData Series(Func<long, double> f) => new(steps, steps.Select(f).ToArray(), wall);
        var scale = 1 + 0.01 * index;
        var metrics = new Dictionary<string, MetricSeriesData>
        {
            ["train/loss"] = Series(s => scale * (2.3 * Math.Exp(-s / 20_000.0) + 0.1 * random.NextDouble())),
            ["val/loss"] = Series(s => scale * (2.3 * Math.Exp(-s / 22_000.0) + 0.05 * random.NextDouble())),
            ["val/acc"] = Series(s => 0.95 - 0.85 * Math.Exp(-s / 15_000.0) - 0.01 * random.NextDouble()),
            ["lr"] = Series(s => 3e-4 * 0.5 * (1 + Math.Cos(Math.PI * s / Steps))),
            ["grad_norm"] = Series(_ => 0.5 + random.NextDouble()),
            ["tokens_per_s"] = Series(_ => 41_000 + 3_000 * random.NextDouble()),
        };
        var summary = MetricNames.ToDictionary(m => m, m => metrics[m].Values[^1]);
        return new ReportRun($"run{index:0000}", $"gpt-small-{index}", "finished", DateTimeOffset.UnixEpoch.AddSeconds(1.7e9),
            DateTimeOffset.UnixEpoch.AddSeconds(1.7e9 + 3100), "cuda:0", "0123456789abcdef", false, index, "2.5.1",
            $"workbench rerun run{index:0000}", JsonSerializer.Serialize(new { name = "gpt-small", seed = index, train = new { optimizer = new { lr = 3e-4 * scale } } }),
            $"group{index}", ["bench"], "", summary, metrics, []);
    }
}
