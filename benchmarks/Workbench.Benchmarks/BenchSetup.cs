// What several benchmarks set up alike: the engine's thread count (WORKBENCH_BENCH_THREADS, default
// all cores, so the PyTorch reference can be given the same) and a run in a scratch SQLite store.
using Workbench.Tracking;
using Engine = Workbench.Torch.Torch;

namespace Workbench.Benchmarks;

internal static class BenchSetup
{
    public static void Threads()
    {
        var threads = Environment.GetEnvironmentVariable("WORKBENCH_BENCH_THREADS");
        Engine.Threads = int.TryParse(threads, out var t) ? t : Environment.ProcessorCount;
    }
}

/// <summary>A run store in a new temporary folder with one run in it; disposing deletes the folder.</summary>
internal sealed class ScratchStore : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "wb-bench-" + Guid.NewGuid().ToString("N"));

    public ScratchStore(string metric, MetricGoal goal)
    {
        Store = RunStore.Open(Path.Combine(_folder, "workbench.db"));
        RunId = Store.CreateRun(new NewRun
        {
            Name = "bench",
            ConfigJson = "{}",
            ConfigHash = "c",
            GroupHash = "g",
            MetricName = metric,
            MetricGoal = goal,
            Device = "cpu",
        }).Id;
    }

    public RunStore Store { get; }
    public string RunId { get; }

    public void Dispose()
    {
        Store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
