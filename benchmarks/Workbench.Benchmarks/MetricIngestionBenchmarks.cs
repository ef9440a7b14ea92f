// Metric ingestion throughput: MetricWriter (buffered, prepared 64-row inserts in 1000-row transactions)
// against the reference of adding the same points as EF Core entities and calling SaveChanges.
// Target: MetricWriter >= 500k points/s. Results: benchmarks/results/tracking.md.
//   dotnet run -c Release --project benchmarks/Workbench.Benchmarks -- --filter '*MetricIngestion*' --inProcess
using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;
using Workbench.Tracking;

namespace Workbench.Benchmarks;

[MemoryDiagnoser]
[WarmupCount(2)]
[IterationCount(15)]
public class MetricIngestionBenchmarks
{
    private const int Points = 20_000;
    private static readonly string[] Keys = ["train/loss", "lr", "grad_norm", "tokens"];

    private ScratchStore _scratch = null!;
    private MetricWriter _writer = null!;
    private long _step;

    [GlobalSetup]
    public void Setup()
    {
        _scratch = new ScratchStore("train/loss", MetricGoal.Min);
        // Creates the run's four series (ids 1-4 in this new database) for the EF Core reference too.
        _writer = _scratch.Store.OpenMetricWriter(_scratch.RunId);
        foreach (var key in Keys)
        {
            _writer.Log(key, -1, 0);
        }
        _writer.Flush();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.Dispose();
        _scratch.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Points)]
    public void MetricWriter_log_then_flush()
    {
        for (var i = 0; i < Points; i++)
        {
            _writer.Log(Keys[i % Keys.Length], _step++, i * 0.5);
        }
        _writer.Flush();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Points)]
    public void EfCore_add_range_then_save_changes()
    {
        using var db = new PointsContext(_scratch.Store.Database);
        var wallTime = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalSeconds;
        for (var i = 0; i < Points; i++)
        {
            db.Points.Add(new PointRow { SeriesId = 1 + i % Keys.Length, Step = _step++, Value = i * 0.5, WallTime = wallTime });
        }
        db.SaveChanges();
    }

    /// <summary>The reference: the metric_points table mapped as an ordinary EF Core entity.</summary>
    private sealed class PointsContext(string path) : DbContext
    {
        public DbSet<PointRow> Points => Set<PointRow>();

        protected override void OnConfiguring(DbContextOptionsBuilder options) => options.UseSqlite($"Data Source={path}");

        protected override void OnModelCreating(ModelBuilder model) => model.Entity<PointRow>(p =>
        {
            p.ToTable("metric_points");
            p.HasKey(r => new { r.SeriesId, r.Step });
            p.Property(r => r.SeriesId).HasColumnName("series_id");
            p.Property(r => r.Step).HasColumnName("step");
            p.Property(r => r.Value).HasColumnName("value");
            p.Property(r => r.WallTime).HasColumnName("wall_time");
        });
    }

    private sealed class PointRow
    {
        public long SeriesId { get; set; }
        public long Step { get; set; }
        public double Value { get; set; }
        public double WallTime { get; set; }
    }
}
