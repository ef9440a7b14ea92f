// Builds report runs for tests: a named run with a config, summary and smooth synthetic curves.
using System.Globalization;
using Workbench.Tracking;

namespace Workbench.Reports.Tests;

internal static class SampleRuns
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The metric catalog these tests hand to reports: a few of the real table's rows, written here
    /// because reports take the table as data and never read Experiments' own.
    /// </summary>
    public static readonly MetricCatalog Metrics = new(
    [
        new("train/loss", MetricGoal.Min, "Loss", "training loss"),
        new("val/loss", MetricGoal.Min, "Loss", "validation loss"),
        new("val/acc", MetricGoal.Max, "Accuracy", "validation accuracy"),
        new("lr", MetricGoal.Neutral, "Learning rate", "learning rate"),
        new("step_ms", MetricGoal.Min, "Throughput", "step time", Timing: true),
        new("tokens_per_s", MetricGoal.Max, "Throughput", "tokens per second", Timing: true),
        new("epoch", MetricGoal.Neutral, null, "an x axis"),
        new("tokens", MetricGoal.Neutral, null, "an x axis"),
        new("params", MetricGoal.Neutral, null, "a run-level figure"),
    ]);

    public static ReportRun Run(
        string name,
        string? id = null,
        string groupHash = "g-default",
        long seed = 1,
        IReadOnlyDictionary<string, double>? summary = null,
        string? configJson = null,
        int steps = 200,
        double lossScale = 1.0,
        IReadOnlyList<string>? tags = null,
        string notes = "",
        IReadOnlyList<TextArtifact>? texts = null)
    {
        id ??= (name.GetHashCode() & 0x7fffffff).ToString("x8", CultureInfo.InvariantCulture);
        return new ReportRun(
            Id: id,
            Name: name,
            Status: "finished",
            StartedAt: Start,
            EndedAt: Start.AddMinutes(3).AddSeconds(7),
            Device: "cpu",
            GitCommit: "0123456789abcdef0123456789abcdef01234567",
            GitDirty: true,
            Seed: seed,
            TorchVersion: "1.13.1",
            RerunCommand: $"workbench rerun {id}",
            ConfigJson: configJson ?? """{"name":"mnist-mlp","seed":1,"train":{"optimizer":{"name":"adam","lr":0.001}}}""",
            GroupHash: groupHash,
            Tags: tags ?? ["smoke"],
            Notes: notes,
            Summary: summary ?? new Dictionary<string, double> { ["val/loss"] = 0.3 * lossScale, ["val/acc"] = 0.9 },
            Metrics: Curves(steps, lossScale, seed),
            Texts: texts ?? []);
    }

    // train/val loss decaying, accuracy rising, lr, epoch and tokens as axis maps, wall time 0.05 s a step.
    public static Dictionary<string, MetricSeriesData> Curves(int steps, double lossScale, long seed)
    {
        var random = new Random((int)seed);
        var stepArray = Enumerable.Range(1, steps).Select(s => (long)s * 10).ToArray();
        double[] Make(Func<long, double> f) => stepArray.Select(f).ToArray();
        var wall = Make(s => 1_767_600_000 + s * 0.05);
        return new Dictionary<string, MetricSeriesData>
        {
            ["train/loss"] = new(stepArray, Make(s => lossScale * (2.3 * Math.Exp(-s / 400.0) + 0.1 + 0.05 * random.NextDouble())), wall),
            ["val/loss"] = new(stepArray, Make(s => lossScale * (2.3 * Math.Exp(-s / 450.0) + 0.15)), wall),
            ["val/acc"] = new(stepArray, Make(s => 0.95 - 0.85 * Math.Exp(-s / 300.0)), wall),
            ["lr"] = new(stepArray, Make(_ => 1e-3), wall),
            ["epoch"] = new(stepArray, Make(s => s / 500.0), wall),
            ["tokens"] = new(stepArray, Make(s => s * 4096.0), wall),
        };
    }
}
