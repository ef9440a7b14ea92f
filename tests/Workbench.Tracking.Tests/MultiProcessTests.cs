// Several training processes share one database: none of their metric points may be lost.
using System.Diagnostics;

namespace Workbench.Tracking.Tests;

public class MultiProcessTests : IDisposable
{
    private readonly TestDatabase _db;

    public MultiProcessTests() : this(new TestDatabase()) { }

    protected MultiProcessTests(TestDatabase db) => _db = db;

    public void Dispose() => _db.Dispose();

    [SkippableFact]
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

    private Process StartWriter(string name, int points, int flushEvery)
    {
        var helper = Path.Combine(AppContext.BaseDirectory, "Workbench.Tracking.MetricProcess.dll");
        Assert.True(File.Exists(helper), $"the helper process was not built next to the tests: {helper}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Where a server store keeps the run folders; a SQLite store keeps them beside its file.
        start.Environment[StoreLocation.RunsVariable] = Path.Combine(_db.Folder, "runs");
        foreach (var arg in new[] { "exec", helper, _db.DbPath, name, points.ToString(), flushEvery.ToString() })
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start)!;
    }
}

/// <summary>The same tests on PostgreSQL (skipped where the test server cannot start).</summary>
public sealed class MultiProcessTestsOnPostgres() : MultiProcessTests(TestDatabase.Postgres());
