// EF Core's view of the run store: runs, artifacts and sweeps, snake_case names matching SchemaSteps.
// The schema itself is created by SchemaMigrator from frozen SQL, not by EF, so that each
// version's shape never changes after it ships.
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Workbench.Tracking.Schema;

internal sealed class TrackingDbContext(SqliteConnection connection) : DbContext
{
    public DbSet<RunRow> Runs => Set<RunRow>();

    public DbSet<ArtifactRow> Artifacts => Set<ArtifactRow>();

    public DbSet<SweepRow> Sweeps => Set<SweepRow>();

    public DbSet<TrialRow> Trials => Set<TrialRow>();

    public DbSet<RungRow> Rungs => Set<RungRow>();

    protected override void OnConfiguring(DbContextOptionsBuilder options) => options.UseSqlite(connection);

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // SQLite keeps no DateTimeKind; every time we store is UTC, so say so on the way back.
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

        model.Entity<SweepRow>(sweep =>
        {
            sweep.ToTable("sweeps");
            sweep.HasKey(s => s.Id);
            sweep.Property(s => s.Id).HasColumnName("id");
            sweep.Property(s => s.Name).HasColumnName("name");
            sweep.Property(s => s.ContentHash).HasColumnName("content_hash");
            sweep.Property(s => s.SourcePath).HasColumnName("source_path");
            sweep.Property(s => s.DefinitionJson).HasColumnName("definition_json");
            sweep.Property(s => s.Status).HasColumnName("status")
                .HasConversion(s => s.ToName(), s => SweepStatusNames.Parse(s));
            sweep.Property(s => s.Retries).HasColumnName("retries");
            sweep.Property(s => s.BudgetTrials).HasColumnName("budget_trials");
            sweep.Property(s => s.DeadlineAt).HasColumnName("deadline_at");
            sweep.Property(s => s.CreatedAt).HasColumnName("created_at");
        });

        model.Entity<TrialRow>(trial =>
        {
            trial.ToTable("sweep_trials");
            trial.HasKey(t => new { t.SweepId, t.Number });
            trial.Property(t => t.SweepId).HasColumnName("sweep_id");
            trial.Property(t => t.Number).HasColumnName("number").ValueGeneratedNever();
            trial.Property(t => t.ParametersJson).HasColumnName("parameters_json");
            trial.Property(t => t.Status).HasColumnName("status")
                .HasConversion(s => s.ToName(), s => TrialStatusNames.Parse(s));
            trial.Property(t => t.Score).HasColumnName("score");
            trial.Property(t => t.PrunedStep).HasColumnName("pruned_step");
            trial.Property(t => t.Attempts).HasColumnName("attempts");
            trial.Property(t => t.RunIdsJson).HasColumnName("run_ids_json");
            trial.Property(t => t.Host).HasColumnName("host");
            trial.Property(t => t.Pid).HasColumnName("pid");
            trial.Property(t => t.PidStartTicks).HasColumnName("pid_start_ticks");
            trial.Property(t => t.HeartbeatAt).HasColumnName("heartbeat_at");
            trial.Property(t => t.StartedAt).HasColumnName("started_at");
            trial.Property(t => t.FinishedAt).HasColumnName("finished_at");
            trial.Property(t => t.Error).HasColumnName("error");
        });

        model.Entity<RungRow>(rung =>
        {
            rung.ToTable("sweep_rungs");
            rung.HasKey(r => new { r.SweepId, r.TrialNumber, r.Step });
            rung.Property(r => r.SweepId).HasColumnName("sweep_id");
            rung.Property(r => r.TrialNumber).HasColumnName("trial_number").ValueGeneratedNever();
            rung.Property(r => r.Step).HasColumnName("step").ValueGeneratedNever();
            rung.Property(r => r.Value).HasColumnName("value");
        });
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
