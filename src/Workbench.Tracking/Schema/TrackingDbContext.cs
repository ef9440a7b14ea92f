// EF Core's view of the run store: runs and artifacts, snake_case names matching SchemaSteps, on
// SQLite or PostgreSQL. The schema itself is created by SchemaMigrator from frozen SQL, not by EF,
// so that each version's shape never changes after it ships.
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Workbench.Tracking.Schema;

internal sealed class TrackingDbContext(DbConnection connection, StoreProvider provider) : DbContext
{
    public StoreProvider Provider => provider;

    public DbSet<RunRow> Runs => Set<RunRow>();

    public DbSet<ArtifactRow> Artifacts => Set<ArtifactRow>();

    protected override void OnConfiguring(DbContextOptionsBuilder options)
    {
        if (provider == StoreProvider.Postgres)
        {
            options.UseNpgsql(connection).AddInterceptors(RowClaims.PostgresLocking);
        }
        else
        {
            options.UseSqlite(connection);
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // SQLite keeps no DateTimeKind and PostgreSQL's timestamptz wants UTC; every time we store is
        // UTC, so say so on the way in and on the way back.
        conventions.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<RunRow>(run =>
        {
            run.ToTable("runs");
            run.HasKey(r => r.Id);
            run.Property(r => r.Id).HasColumnName("id");
            run.Property(r => r.Name).HasColumnName("name");
            run.Property(r => r.Status).HasColumnName("status")
                .HasConversion(s => s.ToName(), s => RunStatusNames.Parse(s));
            run.Property(r => r.ConfigJson).HasColumnName("config_json");
            run.Property(r => r.ConfigHash).HasColumnName("config_hash");
            run.Property(r => r.GroupHash).HasColumnName("group_hash");
            run.Property(r => r.MetricName).HasColumnName("metric_name");
            run.Property(r => r.MetricGoal).HasColumnName("metric_goal")
                .HasConversion(g => g.ToName(), g => MetricGoals.Parse(g));
            run.Property(r => r.TagsJson).HasColumnName("tags_json");
            run.Property(r => r.Notes).HasColumnName("notes");
            run.Property(r => r.GitCommit).HasColumnName("git_commit");
            run.Property(r => r.GitDirty).HasColumnName("git_dirty");
            run.Property(r => r.Seed).HasColumnName("seed");
            run.Property(r => r.Host).HasColumnName("host");
            run.Property(r => r.Pid).HasColumnName("pid");
            run.Property(r => r.PidStartTicks).HasColumnName("pid_start_ticks");
            run.Property(r => r.Os).HasColumnName("os");
            run.Property(r => r.DotnetVersion).HasColumnName("dotnet_version");
            run.Property(r => r.TorchVersion).HasColumnName("torch_version");
            run.Property(r => r.Device).HasColumnName("device");
            run.Property(r => r.DatasetHashesJson).HasColumnName("dataset_hashes_json");
            run.Property(r => r.CommandLine).HasColumnName("command_line");
            run.Property(r => r.StartedAt).HasColumnName("started_at");
            run.Property(r => r.EndedAt).HasColumnName("ended_at");
            run.Property(r => r.HeartbeatAt).HasColumnName("heartbeat_at");
            run.Property(r => r.SummaryJson).HasColumnName("summary_json");
            run.Property(r => r.Error).HasColumnName("error");
            run.Property(r => r.ParentId).HasColumnName("parent_id");
            run.Property(r => r.InitFromId).HasColumnName("init_from_id");
            run.Property(r => r.RerunOfId).HasColumnName("rerun_of_id");
            run.Property(r => r.RunDir).HasColumnName("run_dir");
        });

        model.Entity<ArtifactRow>(artifact =>
        {
            artifact.ToTable("artifacts");
            artifact.HasKey(a => a.Id);
            artifact.Property(a => a.Id).HasColumnName("id");
            artifact.Property(a => a.RunId).HasColumnName("run_id");
            artifact.Property(a => a.Path).HasColumnName("path");
            artifact.Property(a => a.Kind).HasColumnName("kind");
            artifact.Property(a => a.Sha256).HasColumnName("sha256");
            artifact.Property(a => a.Bytes).HasColumnName("bytes");
            artifact.Property(a => a.CreatedAt).HasColumnName("created_at");
        });
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
