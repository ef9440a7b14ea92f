// The run store: one SQLite database of runs, their metric points and artifacts, shared safely by
// several processes. Run rows go through EF Core; metric points through MetricWriter's batched
// prepared inserts (about 10x faster than SaveChanges). Each run's folder sits beside the database.
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Workbench.Tracking.Schema;

namespace Workbench.Tracking;

public sealed partial class RunStore : IDisposable
{
    /// <summary>A running run whose heartbeat is older than this is shown as killed.</summary>
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(30);

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _clock;

    private RunStore(SqliteDatabase database, TimeProvider clock)
    {
        _database = database;
        _clock = clock;
        RunsDirectory = Path.GetDirectoryName(database.Path)!;
    }

    /// <summary>The absolute path of the database file.</summary>
    public string DatabasePath => _database.Path;

    /// <summary>The folder holding the database and one folder per run.</summary>
    public string RunsDirectory { get; }

    /// <summary>
    /// Opens the database at <paramref name="dbPath"/>, creating it (and its folder) or upgrading its
    /// schema as needed. <paramref name="clock"/> is for tests; it defaults to the system clock.
    /// </summary>
    /// <exception cref="SchemaTooNewException">The database comes from a newer workbench.</exception>
    /// <exception cref="RunStoreException">The path is not usable as a database.</exception>
    public static RunStore Open(string dbPath, TimeProvider? clock = null) => Open(dbPath, SchemaSteps.All, clock);

    internal static RunStore Open(string dbPath, IReadOnlyList<SchemaStep> steps, TimeProvider? clock)
    {
        if (string.IsNullOrWhiteSpace(dbPath))
        {
            throw new RunStoreException("the database path is empty; give --db PATH or set WORKBENCH_DB");
        }
        var fullPath = Path.GetFullPath(dbPath);
        if (Directory.Exists(fullPath))
        {
            throw new RunStoreException($"{fullPath} is a folder; --db takes the path of a database file (e.g. runs/workbench.db)");
        }
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
            var database = new SqliteDatabase(fullPath);
            SchemaMigrator.Migrate(database, steps);
            return new RunStore(database, clock ?? TimeProvider.System);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new RunStoreException($"{fullPath}: cannot open the run database: {e.Message}", e);
        }
    }

    /// <summary>Inserts a run with a fresh id, status running, and creates its folder.</summary>
    public RunRecord CreateRun(NewRun run)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(run.Name, nameof(run.Name));
        RequireJsonObject(run.ConfigJson);
        if (run.InitFromId is not null) Get(run.InitFromId);
        if (run.RerunOfId is not null) Get(run.RerunOfId);

        var now = Now();
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var id = RunIds.NewId();
            var runDir = Path.Combine(RunsDirectory, id);
            if (Path.Exists(runDir))
            {
                continue;
            }
            var row = new RunRow
            {
                Id = id,
                Name = run.Name,
                Status = RunStatus.Running,
                ConfigJson = run.ConfigJson,
                ConfigHash = run.ConfigHash,
                GroupHash = run.GroupHash,
                MetricName = run.MetricName,
                MetricGoal = run.MetricGoal,
                TagsJson = RunRows.ToJson(run.Tags),
                Notes = run.Notes,
                GitCommit = run.GitCommit,
                GitDirty = run.GitDirty,
                Seed = run.Seed,
                Host = run.Host ?? RunProcess.Current.Host,
                Pid = RunProcess.Current.Pid,
                PidStartTicks = RunProcess.Current.StartTicks,
                Os = run.Os ?? System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                DotnetVersion = run.DotnetVersion ?? Environment.Version.ToString(),
                TorchVersion = run.TorchVersion,
                Device = run.Device,
                DatasetHashesJson = RunRows.ToJson(run.DatasetHashes),
                CommandLine = run.CommandLine,
                StartedAt = now,
                HeartbeatAt = now,
                SummaryJson = "{}",
                ParentId = run.ParentId,
                InitFromId = run.InitFromId,
                RerunOfId = run.RerunOfId,
                RunDir = id,
            };
            try
            {
                Use(db =>
                {
                    db.Runs.Add(row);
                    return db.SaveChanges();
                });
            }
            catch (DbUpdateException e) when (e.InnerException is SqliteException { SqliteExtendedErrorCode: 1555 })
            {
                continue; // SQLITE_CONSTRAINT_PRIMARYKEY: another process took this id first
            }
            Directory.CreateDirectory(runDir);
            return ToRecord(row);
        }
        throw new RunStoreException($"{DatabasePath}: could not find a free run id after 16 tries");
    }

    /// <summary>The run with exactly this id.</summary>
    /// <exception cref="RunNotFoundException">No run has this id.</exception>
    public RunRecord Get(string id) =>
        TryGet(id) ?? throw new RunNotFoundException(id, $"no run with id '{id}' in {DatabasePath}");

    /// <summary>
    /// Runs newest first, optionally only those with this (effective) status and whose name matches
    /// a glob (<c>*</c>, <c>?</c>, <c>[abc]</c>; case-sensitive).
    /// </summary>
    public IReadOnlyList<RunRecord> List(string? status = null, string? nameGlob = null)
    {
        RunStatus? wanted = null;
        if (status is not null)
        {
            wanted = RunStatusNames.TryParse(status, out var parsed)
                ? parsed
                : throw new RunStoreException(
                    $"unknown run status '{status}'; expected one of running, finished, failed, diverged, killed, pruned");
        }
        var rows = Use(db =>
        {
            var query = db.Runs.AsNoTracking();
            if (nameGlob is not null)
            {
                query = query.Where(r => EF.Functions.Glob(r.Name, nameGlob));
            }
            return query.OrderByDescending(r => r.StartedAt).ThenBy(r => r.Id).ToList();
        });
        return rows.Select(ToRecord).Where(r => wanted is null || r.EffectiveStatus == wanted).ToList();
    }

    /// <summary>Marks the run alive now; a runner calls it every few seconds (see <see cref="StartHeartbeat"/>).</summary>
    public void Heartbeat(string runId) => Update(runId, row => row.HeartbeatAt = Now());

    /// <summary>Beats <see cref="Heartbeat"/> on a timer until disposed. The default interval is 5 s.</summary>
    public RunHeartbeat StartHeartbeat(string runId, TimeSpan? interval = null)
    {
        Heartbeat(runId);
        return new RunHeartbeat(() => Heartbeat(runId), interval ?? TimeSpan.FromSeconds(5), _clock);
    }

    /// <summary>Ends a run: status, ended_at now, error, and (when given) its summary.</summary>
    public void Finish(string runId, RunStatus status, IReadOnlyDictionary<string, double>? summary, string? error)
    {
        if (status == RunStatus.Running)
        {
            throw new ArgumentException("a run cannot finish with status running", nameof(status));
        }
        Update(runId, row =>
        {
            row.Status = status;
            row.EndedAt = Now();
            row.Error = error;
            if (summary is not null)
            {
                row.SummaryJson = RunRows.ToJson(summary);
            }
        });
    }

    /// <summary>Replaces the run's summary (final and best/ values, step_ms, params, ...).</summary>
    public void UpdateSummary(string runId, IReadOnlyDictionary<string, double> summary) =>
        Update(runId, row => row.SummaryJson = RunRows.ToJson(summary));

    /// <summary>Records the SHA-256 of the data a run trained on (dataset name, or e.g. `tokenizer`, to hash).</summary>
    public void SetDatasetHashes(string runId, IReadOnlyDictionary<string, string> hashes) =>
        Update(runId, row => row.DatasetHashesJson = RunRows.ToJson(hashes));

    /// <summary>
    /// Puts a killed or failed run back to running (for resume) in this process: clears ended_at and
    /// error, beats now, and records this host and process as the ones running it. The check and the
    /// change happen under the database's write lock, so of two resumes of one run only the first wins;
    /// false when the run was not killed or failed (another process may be resuming it).
    /// </summary>
    public bool TryReopen(string runId) => Use(db =>
    {
        using var transaction = db.Database.BeginTransaction();   // BEGIN IMMEDIATE: the write lock first
        var row = db.Runs.FirstOrDefault(r => r.Id == runId)
            ?? throw new RunNotFoundException(runId, $"no run with id '{runId}' in {DatabasePath}");
        if (ToRecord(row).EffectiveStatus is not (RunStatus.Killed or RunStatus.Failed)) return false;
        row.Status = RunStatus.Running;
        row.Host = RunProcess.Current.Host;
        row.Pid = RunProcess.Current.Pid;
        row.PidStartTicks = RunProcess.Current.StartTicks;
        row.EndedAt = null;
        row.Error = null;
        row.HeartbeatAt = Now();
        db.SaveChanges();
        transaction.Commit();
        return true;
    });

    /// <summary>Closes this process's pooled connections to the database.</summary>
    public void Dispose() => _database.ClearPool();

    private RunRecord? TryGet(string id)
    {
        var row = Use(db => db.Runs.AsNoTracking().FirstOrDefault(r => r.Id == id));
        return row is null ? null : ToRecord(row);
    }

    // Loads, changes and saves one row; EF writes only the changed columns, so a heartbeat and a
    // finish from different threads do not overwrite each other's fields.
    private void Update(string runId, Action<RunRow> change) => Use(db =>
    {
        var row = db.Runs.FirstOrDefault(r => r.Id == runId)
            ?? throw new RunNotFoundException(runId, $"no run with id '{runId}' in {DatabasePath}");
        change(row);
        return db.SaveChanges();
    });

    // A fresh connection and context per call keeps the store usable from any thread.
    private T Use<T>(Func<TrackingDbContext, T> work) => SqliteDatabase.BusyRetry(() =>
    {
        using var connection = _database.Open();
        using var db = new TrackingDbContext(connection);
        return work(db);
    });

    private RunRecord ToRecord(RunRow row) => RunRows.ToRecord(row, RunsDirectory, Now(), HeartbeatTimeout);

    private DateTime Now() => _clock.GetUtcNow().UtcDateTime;

    private static void RequireJsonObject(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return;
            }
        }
        catch (JsonException)
        {
        }
        throw new ArgumentException("NewRun.ConfigJson must be the resolved spec as a JSON object", nameof(json));
    }
}
