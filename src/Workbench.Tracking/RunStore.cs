// The run store: one database of runs, their metric points and artifacts, shared safely by several
// processes: a SQLite file (the default, with each run's folder beside it) or a PostgreSQL server
// (--db postgresql://..., for processes on many machines; run folders in a local runs folder).
// Run rows go through EF Core; metric points through MetricWriter's batched inserts (about 10x
// faster than SaveChanges).
using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Workbench.Tracking.Schema;

namespace Workbench.Tracking;

public sealed partial class RunStore : IDisposable
{
    /// <summary>The environment variable that sets <see cref="HeartbeatTimeout"/>, in seconds (tests use a few).</summary>
    public const string HeartbeatTimeoutVariable = "WORKBENCH_HEARTBEAT_TIMEOUT";

    private static readonly Lazy<TimeSpan> Timeout = new(ReadHeartbeatTimeout);

    /// <summary>
    /// A running run (or sweep trial) whose heartbeat is older than this is shown as killed (its trial is
    /// taken back by the next agent that claims one): 30 s, or $WORKBENCH_HEARTBEAT_TIMEOUT seconds. Every
    /// machine sharing a store should use the same value.
    /// </summary>
    /// <exception cref="RunStoreException">The variable is set but not a number of seconds of 1 or more.</exception>
    public static TimeSpan HeartbeatTimeout => Timeout.Value;

    /// <summary>How often heartbeats are written: 5 s, or a third of a shorter <see cref="HeartbeatTimeout"/>, so a live process misses none.</summary>
    public static TimeSpan HeartbeatInterval => TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, HeartbeatTimeout.Ticks / 3));

    private readonly StoreDatabase _database;
    private readonly TimeProvider _clock;

    private readonly StoreLocation _location;

    private RunStore(StoreLocation location, StoreDatabase database, TimeProvider clock)
    {
        _location = location;
        _database = database;
        _clock = clock;
    }

    /// <summary>The absolute path of the database file, or the server's URL without its password.</summary>
    public string Database => _database.Name;

    /// <summary>True when the store is a PostgreSQL server shared by several machines.</summary>
    public bool IsServer => _database.Provider == StoreProvider.Postgres;

    /// <summary>The folder holding one folder per run: beside a SQLite database, or the runs folder given with a URL.</summary>
    public string RunsDirectory => _database.RunsDirectory;

    /// <summary>
    /// The options that open this same store in a child workbench process: --db and, for a server,
    /// --runs-dir, so the child's run folders go where ours do. A server URL goes without its password,
    /// since any user of the machine can read a process's argv; pass <see cref="ChildEnvironment"/> too.
    /// </summary>
    public IReadOnlyList<string> CommandLineArguments() => IsServer
        ? ["--db", PostgresUrl.Parse(_location.Database).WithoutPassword, "--runs-dir", RunsDirectory]
        : ["--db", Database];

    /// <summary>
    /// The variables a child workbench process needs beside <see cref="CommandLineArguments"/>: PGPASSWORD
    /// for a server store with a password (from the URL or our own PGPASSWORD); none otherwise. A
    /// process's environment is readable by its own user only (/proc/PID/environ).
    /// </summary>
    public IReadOnlyDictionary<string, string> ChildEnvironment() =>
        IsServer && PostgresUrl.Parse(_location.Database).Password is { } password
            ? new Dictionary<string, string> { ["PGPASSWORD"] = password }
            : new Dictionary<string, string>();

    /// <summary>
    /// Opens the store at <paramref name="location"/>, creating it (a SQLite file and its folder, or the
    /// tables on a server) or upgrading its schema as needed. <paramref name="clock"/> is for tests; it
    /// defaults to the system clock.
    /// </summary>
    /// <exception cref="SchemaTooNewException">The database comes from a newer workbench.</exception>
    /// <exception cref="RunStoreException">
    /// The path is not usable as a database, the URL is malformed, or the server cannot be reached.
    /// </exception>
    public static RunStore Open(StoreLocation location, TimeProvider? clock = null) => Open(location, SchemaSteps.All, clock);

    internal static RunStore Open(StoreLocation location, IReadOnlyList<SchemaStep> steps, TimeProvider? clock)
    {
        if (string.IsNullOrWhiteSpace(location.Database))
        {
            throw new RunStoreException("the database path is empty; give --db PATH or set WORKBENCH_DB");
        }
        if (!location.IsServer && location.RunsDirectory is not null)
        {
            throw new RunStoreException(
                $"--runs-dir is for a postgresql:// store; the run folders of a SQLite store sit beside its file ({Path.GetFullPath(location.Database)})");
        }
        var database = StoreDatabase.For(location);
        if (Directory.Exists(database.Name))
        {
            throw new RunStoreException($"{database.Name} is a folder; --db takes the path of a database file (e.g. runs/workbench.db)");
        }
        try
        {
            if (!location.IsServer) Directory.CreateDirectory(database.RunsDirectory);
            SchemaMigrator.Migrate(database, steps);
            return new RunStore(location, database, clock ?? TimeProvider.System);
        }
        catch (Exception e) when (e is DbException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw new RunStoreException(database is PostgresDatabase server
                ? $"{database.Name}: cannot use the PostgreSQL server at {server.Server}: {Reason(e)}; check the URL, the password (PGPASSWORD) and that the server runs"
                : $"{database.Name}: cannot open the run database: {e.Message}", e);
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
                // Relative beside a SQLite file, so a copied folder still resolves; absolute on a server,
                // where it is a path on the host that ran the run.
                RunDir = IsServer ? runDir : id,
            };
            try
            {
                Use(db =>
                {
                    db.Runs.Add(row);
                    return db.SaveChanges();
                });
            }
            catch (DbUpdateException e) when (_database.IsDuplicateKey(e))
            {
                continue; // another process took this id first
            }
            Directory.CreateDirectory(runDir);
            return ToRecord(row);
        }
        throw new RunStoreException($"{Database}: could not find a free run id after 16 tries");
    }

    /// <summary>The run with exactly this id.</summary>
    /// <exception cref="RunNotFoundException">No run has this id.</exception>
    public RunRecord Get(string id) =>
        TryGet(id) ?? throw new RunNotFoundException(id, $"no run with id '{id}' in {Database}");

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
                query = db.Provider == StoreProvider.Postgres
                    ? query.Where(r => System.Text.RegularExpressions.Regex.IsMatch(r.Name, NameGlob.ToRegex(nameGlob)))
                    : query.Where(r => EF.Functions.Glob(r.Name, nameGlob));
            }
            return query.OrderByDescending(r => r.StartedAt).ThenBy(r => r.Id).ToList();
        });
        return rows.Select(ToRecord).Where(r => wanted is null || r.EffectiveStatus == wanted).ToList();
    }

    /// <summary>Marks the run alive now; a runner calls it every few seconds (see <see cref="StartHeartbeat"/>).</summary>
    public void Heartbeat(string runId) => Update(runId, row => row.HeartbeatAt = Now());

    /// <summary>Beats <see cref="Heartbeat"/> on a timer until disposed; the default interval is <see cref="HeartbeatInterval"/>.</summary>
    public RunHeartbeat StartHeartbeat(string runId, TimeSpan? interval = null)
    {
        Heartbeat(runId);
        return new RunHeartbeat(() => Heartbeat(runId), interval ?? HeartbeatInterval, _clock);
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
    /// change are one claim (<see cref="ClaimNext"/>), so of two resumes of one run only the first wins;
    /// false when the run was not killed or failed (another process may be resuming it).
    /// </summary>
    public bool TryReopen(string runId)
    {
        Get(runId);
        return ClaimNext(db => db.Runs.Where(r => r.Id == runId), row =>
        {
            if (ToRecord(row).EffectiveStatus is not (RunStatus.Killed or RunStatus.Failed)) return false;
            row.Status = RunStatus.Running;
            row.Host = RunProcess.Current.Host;
            row.Pid = RunProcess.Current.Pid;
            row.PidStartTicks = RunProcess.Current.StartTicks;
            row.EndedAt = null;
            row.Error = null;
            row.HeartbeatAt = Now();
            return true;
        }) is not null;
    }

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
            ?? throw new RunNotFoundException(runId, $"no run with id '{runId}' in {Database}");
        change(row);
        return db.SaveChanges();
    });

    // A fresh connection and context per call keeps the store usable from any thread.
    private T Use<T>(Func<TrackingDbContext, T> work) => _database.Retry(() =>
    {
        using var connection = _database.Open();
        using var db = _database.Context(connection);
        return work(db);
    });

    private RunRecord ToRecord(RunRow row) => RunRows.ToRecord(row, RunsDirectory, Now(), HeartbeatTimeout);

    private DateTime Now() => _clock.GetUtcNow().UtcDateTime;

    private static TimeSpan ReadHeartbeatTimeout()
    {
        var text = Environment.GetEnvironmentVariable(HeartbeatTimeoutVariable);
        if (string.IsNullOrWhiteSpace(text)) return TimeSpan.FromSeconds(30);
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
               && seconds >= 1 && seconds <= 86400
            ? TimeSpan.FromSeconds(seconds)
            : throw new RunStoreException($"{HeartbeatTimeoutVariable}={text}: give the heartbeat timeout in seconds, from 1 to 86400 (default 30)");
    }

    // Npgsql's message says what failed ("Failed to connect to 10.0.0.5:5432"); the inner one says why.
    private static string Reason(Exception e) =>
        string.Join(": ", Chain(e).Select(x => x.Message.TrimEnd('.')).Distinct());

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e;
    }

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
