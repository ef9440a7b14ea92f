// A database in a fresh temporary folder, deleted after the test; with a clock tests can move.
using Workbench.Tracking;

namespace Workbench.Tracking.Tests;

internal sealed class TestDatabase : IDisposable
{
    public TestDatabase()
    {
        Folder = Path.Combine(Path.GetTempPath(), "wb-tracking-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        DbPath = Path.Combine(Folder, "runs", "workbench.db");
    }

    public string Folder { get; }

    public string DbPath { get; }

    public ManualClock Clock { get; } = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public RunStore Open() => RunStore.Open(DbPath, Clock);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A writer process may still hold the file for a moment; the temp folder is cleaned later.
        }
    }

    public static NewRun Run(string name = "mnist-mlp", string metric = "val/acc", MetricGoal goal = MetricGoal.Max) => new()
    {
        Name = name,
        ConfigJson = """{"name":"mnist-mlp","seed":1337,"model":{"kind":"mlp","hidden":[200,100]}}""",
        ConfigHash = "cfg0123",
        GroupHash = "grp0123",
        MetricName = metric,
        MetricGoal = goal,
        Seed = 1337,
        Device = "cpu",
        TorchVersion = "1.13.1",
    };
}

/// <summary>A clock that stands still until a test moves it; timers still run in real time.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
