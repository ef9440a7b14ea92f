// Metric points: buffered, flushed in the background within about a second, read back per key.
namespace Workbench.Tracking.Tests;

public class MetricWriterTests : IDisposable
{
    private readonly TestDatabase _db;

    public MetricWriterTests() : this(new TestDatabase()) { }

    protected MetricWriterTests(TestDatabase db) => _db = db;

    public void Dispose() => _db.Dispose();

    [SkippableFact]
    public void Points_logged_and_disposed_read_back_per_key_in_step_order()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());
        var wall = (_db.Clock.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds;

        using (var writer = store.OpenMetricWriter(run.Id))
        {
            writer.Log("train/loss", 20, 1.5);
            writer.Log("train/loss", 10, 2.5);
            writer.Log("val/acc", 10, 0.8);
            writer.Log("lr", 10, double.NaN);
        }

        var metrics = store.GetMetrics(run.Id);
        Assert.Equal(["lr", "train/loss", "val/acc"], metrics.Keys.Order());
        Assert.Equal([10L, 20L], metrics["train/loss"].Steps);
        Assert.Equal([2.5, 1.5], metrics["train/loss"].Values);
        Assert.Equal([wall, wall], metrics["train/loss"].WallTimes);
        Assert.True(double.IsNaN(metrics["lr"].Values[0]));
        Assert.Equal(["lr", "train/loss", "val/acc"], store.GetMetricKeys(run.Id));
    }

    [SkippableFact]
    public void Asking_for_some_keys_returns_only_those_that_have_points()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());
        using (var writer = store.OpenMetricWriter(run.Id))
        {
            writer.Log("train/loss", 1, 1.0);
            writer.Log("val/acc", 1, 0.5);
        }

        var metrics = store.GetMetrics(run.Id, ["val/acc", "val/loss"]);

        Assert.Equal(["val/acc"], metrics.Keys);
    }

    [SkippableFact]
    public void Points_reach_the_database_without_flush_or_dispose()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());
        using var writer = store.OpenMetricWriter(run.Id);

        for (var step = 0; step < 2500; step++)
        {
            writer.Log("train/loss", step, step);
        }

        // The background flush runs every second; a crash would lose only what it had not written.
        Assert.True(Poll.Until(() => store.GetMetrics(run.Id).TryGetValue("train/loss", out var s) && s.Count == 2500),
            "the background flush never wrote the logged points");
    }

    [SkippableFact]
    public void Flush_writes_everything_logged_so_far()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());
        using var writer = store.OpenMetricWriter(run.Id);
        for (var step = 0; step < 3001; step++)
        {
            writer.Log("train/loss", step, step);
        }

        writer.Flush();

        Assert.Equal(3001, store.GetMetrics(run.Id)["train/loss"].Count);
    }

    [SkippableFact]
    public void Deleting_metrics_after_a_step_keeps_that_step_and_earlier_for_every_key()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());
        using (var writer = store.OpenMetricWriter(run.Id))
        {
            for (var step = 0; step <= 100; step += 10)
            {
                writer.Log("train/loss", step, step);
                writer.Log("val/acc", step, step);
            }
        }

        var deleted = store.DeleteMetricsAfter(run.Id, 50);

        Assert.Equal(10, deleted);
        var metrics = store.GetMetrics(run.Id);
        Assert.Equal([0L, 10, 20, 30, 40, 50], metrics["train/loss"].Steps);
        Assert.Equal([0L, 10, 20, 30, 40, 50], metrics["val/acc"].Steps);
    }

    [SkippableFact]
    public void Logging_a_key_at_a_step_again_replaces_its_value()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());

        using (var writer = store.OpenMetricWriter(run.Id))
        {
            writer.Log("val/loss", 100, 2.0);
            writer.Flush();
            writer.Log("val/loss", 100, 1.5);
        }

        Assert.Equal([1.5], store.GetMetrics(run.Id)["val/loss"].Values);
    }

    [SkippableFact]
    public void Two_writers_of_one_run_share_its_series()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());

        using (var first = store.OpenMetricWriter(run.Id))
        using (var second = store.OpenMetricWriter(run.Id))
        {
            first.Log("train/loss", 1, 1.0);
            second.Log("train/loss", 2, 0.5);
        }

        Assert.Equal([1L, 2L], store.GetMetrics(run.Id)["train/loss"].Steps);
    }

    [SkippableFact]
    public void A_writer_for_an_unknown_run_is_refused()
    {
        using var store = _db.Open();

        Assert.Throws<RunNotFoundException>(() => store.OpenMetricWriter("zzzzzzzz"));
    }
}

/// <summary>The same tests on PostgreSQL (skipped where the test server cannot start).</summary>
public sealed class MetricWriterTestsOnPostgres() : MetricWriterTests(TestDatabase.Postgres());
