// Several processes share one database: none of their metric points may be lost, and of the trials
// they claim from one sweep each goes to exactly one of them.
using System.Diagnostics;

namespace Workbench.Tracking.Tests;

public sealed class MultiProcessTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void Four_processes_writing_10k_points_each_to_a_new_database_lose_nothing()
    {
        // All four open the database before it exists, so they also race to create the schema.
        var processes = Enumerable.Range(0, 4).Select(i => StartWriter($"writer-{i}", points: 10_000, flushEvery: 250)).ToList();
        var ids = processes.Select(p =>
        {
            var stdout = p.StandardOutput.ReadToEnd();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"writer exited with {p.ExitCode}: {stderr}");
            return stdout.Trim();
        }).ToList();

        using var store = _db.Open();
        Assert.Equal(4, ids.Distinct().Count());
        foreach (var id in ids)
        {
            var loss = store.GetMetrics(id)["train/loss"];
            Assert.Equal(Enumerable.Range(0, 10_000).Select(s => (long)s), loss.Steps);
            Assert.Equal(RunStatus.Finished, store.Get(id).Status);
        }
        Assert.Equal(40_000, ids.Sum(id => store.GetMetrics(id)["train/loss"].Count));
    }

    [Fact]
    public void Six_processes_claiming_trials_of_one_sweep_run_each_trial_exactly_once()
    {
        string sweepId;
        using (var store = _db.Open())
        {
            sweepId = store.RegisterSweep(SweepStoreTests.Sweep()).Sweep.Id;
        }

        var claimants = Enumerable.Range(0, 6).Select(_ => StartHelper(["claim", _db.DbPath, sweepId, "60"])).ToList();
        var claimed = claimants.SelectMany(p =>
        {
            var stdout = p.StandardOutput.ReadToEnd();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"claimant exited with {p.ExitCode}: {stderr}");
            return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse);
        }).ToList();

        using var check = _db.Open();
        Assert.Equal(Enumerable.Range(0, 60), claimed.Order());   // none twice, none lost, no "database is locked"
        Assert.All(check.GetTrials(sweepId), t => Assert.Equal((TrialStatus.Completed, 1), (t.Status, t.Attempts)));
    }

    private Process StartWriter(string name, int points, int flushEvery) =>
        StartHelper([_db.DbPath, name, points.ToString(), flushEvery.ToString()]);

    private static Process StartHelper(string[] args)
    {
        var helper = Path.Combine(AppContext.BaseDirectory, "Workbench.Tracking.MetricProcess.dll");
        Assert.True(File.Exists(helper), $"the helper process was not built next to the tests: {helper}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "exec", helper }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start)!;
    }
}
