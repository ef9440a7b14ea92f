// Sweeps in the run store: registering (or finding again) a sweep by its file's content hash, claiming
// trials under the database's write lock so that any number of processes share one search, their
// heartbeats, retries of trials whose process died, and the rung values pruning compares. Every SQL
// statement about sweeps lives here. On SQLite every transaction is BEGIN IMMEDIATE, which holds the
// database's one write lock; on PostgreSQL the rows a transaction reads and then changes are read
// FOR UPDATE (the sweep row serializes the claims of one sweep; other sweeps go on at once).
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Workbench.Tracking.Schema;

namespace Workbench.Tracking;

public sealed partial class RunStore
{
    /// <summary>
    /// Finds the sweep registered with this content hash (the same file again resumes it) or registers
    /// a new one. <see cref="SweepRegistration.Replaces"/> names the newest sweep of the same source
    /// file when the file has changed since.
    /// </summary>
    public SweepRegistration RegisterSweep(NewSweep sweep) => Use(db =>
    {
        using var transaction = db.Database.BeginTransaction();   // BEGIN IMMEDIATE: two starts of one file register it once
        db.LockStore();                                            // the same on PostgreSQL
        var same = db.Sweeps.AsNoTracking().Where(s => s.ContentHash == sweep.ContentHash).OrderByDescending(s => s.CreatedAt).FirstOrDefault();
        if (same is not null)
        {
            return new SweepRegistration(ToSweep(same), Created: false, Replaces: null);
        }
        var previous = db.Sweeps.AsNoTracking().Where(s => s.SourcePath == sweep.SourcePath).OrderByDescending(s => s.CreatedAt).FirstOrDefault();
        string id;
        do id = RunIds.NewId(); while (db.Sweeps.Any(s => s.Id == id));
        var row = new SweepRow
        {
            Id = id,
            Name = sweep.Name,
            ContentHash = sweep.ContentHash,
            SourcePath = sweep.SourcePath,
            DefinitionJson = sweep.DefinitionJson,
            Status = SweepStatus.Running,
            Retries = sweep.Retries,
            BudgetTrials = sweep.BudgetTrials,
            DeadlineAt = sweep.DeadlineAt,
            CreatedAt = Now(),
        };
        db.Sweeps.Add(row);
        db.SaveChanges();
        transaction.Commit();
        return new SweepRegistration(ToSweep(row), Created: true, Replaces: previous is null ? null : ToSweep(previous));
    });

    /// <summary>The sweep with this id or unique id prefix.</summary>
    /// <exception cref="RunStoreException">No sweep, or several, match.</exception>
    public SweepRecord GetSweep(string reference)
    {
        var text = reference.Trim();
        var rows = Use(db => db.Sweeps.AsNoTracking().Where(s => s.Id == text || s.Id.StartsWith(text)).ToList());
        var exact = rows.FirstOrDefault(r => r.Id == text);
        return exact is not null ? ToSweep(exact) : rows.Count switch
        {
            1 when text.Length > 0 => ToSweep(rows[0]),
            0 or 1 => throw new RunStoreException($"no sweep '{reference}' in {Database}; `workbench sweeps` lists them"),
            _ => throw new RunStoreException(
                $"sweep reference '{reference}' is ambiguous: it matches {string.Join(", ", rows.Select(r => r.Id).Order())}; give more characters of the id"),
        };
    }

    /// <summary>Every sweep, newest first.</summary>
    public IReadOnlyList<SweepRecord> ListSweeps() =>
        Use(db => db.Sweeps.AsNoTracking().OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Id).ToList()).Select(ToSweep).ToList();

    /// <summary>A sweep's trials in number order.</summary>
    public IReadOnlyList<TrialRecord> GetTrials(string sweepId) =>
        Use(db => db.Trials.AsNoTracking().Where(t => t.SweepId == sweepId).OrderBy(t => t.Number).ToList()).Select(ToTrial).ToList();

    /// <summary>Every rung value of a sweep's trials, by trial and step.</summary>
    public IReadOnlyList<RungRecord> GetRungs(string sweepId) => Use(db => Rungs(db, sweepId));

    public void SetSweepStatus(string sweepId, SweepStatus status) => Use(db =>
        db.Sweeps.Where(s => s.Id == sweepId).ExecuteUpdate(s => s.SetProperty(r => r.Status, status)));

    /// <summary>
    /// Claims a trial of the sweep for this process, all under the database's write lock, so that of any
    /// number of processes each trial goes to exactly one: trials whose process died (a stale heartbeat,
    /// or a pid gone on this host) are put back to pending, or failed once claimed more than the sweep's
    /// retries; then the lowest pending trial is claimed; failing that, <paramref name="suggest"/> gets
    /// every stored trial, their rung values and the next trial number and returns the new trial's
    /// parameters (a JSON object), or null when the budget is spent or the search has no trial left, and
    /// then so does this.
    /// </summary>
    public TrialRecord? ClaimTrial(string sweepId, Func<IReadOnlyList<TrialRecord>, IReadOnlyList<RungRecord>, int, string?> suggest) => Use(db =>
    {
        using var transaction = db.Database.BeginTransaction();   // BEGIN IMMEDIATE: the write lock before reading
        // PostgreSQL: the sweep row's lock makes claims of one sweep take turns, as SQLite's write lock does;
        // the trial rows' locks wait for a trial's owner finishing or beating it meanwhile.
        var retries = db.Sweeps.Where(s => s.Id == sweepId).Select(s => (int?)s.Retries).ForUpdate().FirstOrDefault()
            ?? throw new RunStoreException($"no sweep '{sweepId}' in {Database}");
        var rows = db.Trials.Where(t => t.SweepId == sweepId).OrderBy(t => t.Number).ForUpdate().ToList();
        var now = Now();
        foreach (var row in rows.Where(r => r.Status == TrialStatus.Running && IsDead(r, now)))
        {
            PutBack(row, retries, $"its process ({row.Host} pid {row.Pid}) died", now);
        }
        var claimed = rows.FirstOrDefault(r => r.Status == TrialStatus.Pending);
        if (claimed is null)
        {
            var number = rows.Count == 0 ? 0 : rows[^1].Number + 1;
            if (suggest(rows.Select(ToTrial).ToList(), Rungs(db, sweepId), number) is not { } parameters)
            {
                db.SaveChanges();
                transaction.Commit();
                return null;
            }
            claimed = new TrialRow { SweepId = sweepId, Number = number, ParametersJson = parameters };
            db.Trials.Add(claimed);
        }
        // A retried trial keeps its earlier attempt's runs and rungs: the agent keeps a seed's finished run,
        // resumes a killed one from its checkpoint, and the run then drops the rungs it will report again
        // (DropRungsAfter); a seed started over replaces its run.
        claimed.Status = TrialStatus.Running;
        claimed.Attempts++;
        claimed.Score = null;
        claimed.PrunedStep = null;
        claimed.Host = RunProcess.Current.Host;
        claimed.Pid = RunProcess.Current.Pid;
        claimed.PidStartTicks = RunProcess.Current.StartTicks;
        claimed.HeartbeatAt = now;
        claimed.StartedAt = now;
        claimed.FinishedAt = null;
        db.SaveChanges();
        transaction.Commit();
        return ToTrial(claimed);
    });

    /// <summary>Marks a trial this process holds alive now (see <see cref="StartTrialHeartbeat"/>).</summary>
    public void TrialHeartbeat(string sweepId, int number) => UpdateOwnTrial(sweepId, number, row => row.HeartbeatAt = Now());

    /// <summary>Beats <see cref="TrialHeartbeat"/> on a timer until disposed; the default interval is <see cref="HeartbeatInterval"/>.</summary>
    public RunHeartbeat StartTrialHeartbeat(string sweepId, int number, TimeSpan? interval = null)
    {
        TrialHeartbeat(sweepId, number);
        return new RunHeartbeat(() => TrialHeartbeat(sweepId, number), interval ?? HeartbeatInterval, _clock);
    }

    /// <summary>Records the run that trains one seed of a running trial (called by the run's own process).</summary>
    public void AttachTrialRun(string sweepId, int number, long seed, string runId) => Use(db =>
    {
        using var transaction = db.Database.BeginTransaction();
        var row = db.Trials.Where(t => t.SweepId == sweepId && t.Number == number && t.Status == TrialStatus.Running).ForUpdate().FirstOrDefault()
            ?? throw new RunStoreException($"trial {number} of sweep {sweepId} is not running; a trial's runs are started by `workbench sweep` or `agent`");
        var runs = ParseRunIds(row.RunIdsJson);
        runs[seed] = runId;
        row.RunIdsJson = RunRows.ToJson(runs);
        db.SaveChanges();
        transaction.Commit();
        return 0;
    });

    /// <summary>Ends a trial this process holds; false when it no longer holds it (it was reclaimed as dead).</summary>
    public bool FinishTrial(string sweepId, int number, TrialStatus status, double? score, long? prunedStep, string? error)
    {
        if (!status.IsDone())
        {
            throw new ArgumentException($"a trial cannot finish as {status.ToName()}", nameof(status));
        }
        return UpdateOwnTrial(sweepId, number, row =>
        {
            row.Status = status;
            row.Score = score;
            row.PrunedStep = prunedStep;
            row.Error = error;
            row.FinishedAt = Now();
        });
    }

    /// <summary>
    /// Gives back a trial this process holds without finishing it: to be retried (a seed's process died;
    /// failed once claimed more than the sweep's retries), or, when <paramref name="interrupted"/> (Ctrl-C),
    /// pending again without spending an attempt.
    /// </summary>
    public bool ReleaseTrial(string sweepId, int number, string reason, bool interrupted)
    {
        var retries = GetSweep(sweepId).Retries;
        return UpdateOwnTrial(sweepId, number, row =>
        {
            if (interrupted) row.Attempts--;
            PutBack(row, interrupted ? int.MaxValue : retries, reason, Now());
        });
    }

    /// <summary>Records a trial's metric at a rung step (a second report of the step replaces the first).</summary>
    public void ReportRung(string sweepId, int number, long step, double value) => Use(db =>
    {
        using var transaction = db.Database.BeginTransaction();
        db.Rungs.Where(r => r.SweepId == sweepId && r.TrialNumber == number && r.Step == step).ExecuteDelete();
        db.Rungs.Add(new RungRow { SweepId = sweepId, TrialNumber = number, Step = step, Value = value });
        db.SaveChanges();
        transaction.Commit();
        return 0;
    });

    /// <summary>
    /// Deletes a trial's rung values after <paramref name="step"/> (all of them for a negative step): a
    /// retried trial's first seed, started over or resumed from a checkpoint at that step, reports them again.
    /// </summary>
    public void DropRungsAfter(string sweepId, int number, long step) => Use(db =>
        db.Rungs.Where(r => r.SweepId == sweepId && r.TrialNumber == number && r.Step > step).ExecuteDelete());

    // Checks that this process still holds the trial under the write lock, then changes it.
    private bool UpdateOwnTrial(string sweepId, int number, Action<TrialRow> change) => Use(db =>
    {
        using var transaction = db.Database.BeginTransaction();
        var me = RunProcess.Current;
        var row = db.Trials.Where(t => t.SweepId == sweepId && t.Number == number).ForUpdate().FirstOrDefault();
        if (row is null || row.Status != TrialStatus.Running || row.Host != me.Host || row.Pid != me.Pid) return false;
        change(row);
        db.SaveChanges();
        transaction.Commit();
        return true;
    });

    private static void PutBack(TrialRow row, int retries, string reason, DateTime now)
    {
        var spent = row.Attempts > retries;
        row.Status = spent ? TrialStatus.Failed : TrialStatus.Pending;
        row.Error = spent ? $"{reason}; tried {row.Attempts} time(s), the sweep retries {retries}" : reason;
        row.FinishedAt = spent ? now : null;
    }

    private static List<RungRecord> Rungs(TrackingDbContext db, string sweepId) =>
        db.Rungs.AsNoTracking().Where(r => r.SweepId == sweepId).OrderBy(r => r.TrialNumber).ThenBy(r => r.Step).ToList()
            .Select(r => new RungRecord(r.TrialNumber, r.Step, r.Value)).ToList();

    private static bool IsDead(TrialRow row, DateTime now) =>
        now - (row.HeartbeatAt ?? DateTime.MinValue) > HeartbeatTimeout
        || (row.Pid is { } pid && row.Host is { } host && new RunProcess(host, pid, row.PidStartTicks).IsGone());

    private static Dictionary<long, string> ParseRunIds(string json) =>
        JsonSerializer.Deserialize<Dictionary<long, string>>(json, RunRows.Json) ?? [];

    private static SweepRecord ToSweep(SweepRow row) => new(row.Id, row.Name, row.ContentHash, row.SourcePath, row.DefinitionJson,
        row.Status, row.Retries, row.BudgetTrials, row.DeadlineAt, row.CreatedAt);

    private static TrialRecord ToTrial(TrialRow row) => new(row.SweepId, row.Number, row.ParametersJson, row.Status, row.Score,
        row.PrunedStep, row.Attempts, ParseRunIds(row.RunIdsJson),
        row.Pid is { } pid && row.Host is { } host ? new RunProcess(host, pid, row.PidStartTicks) : null,
        row.HeartbeatAt, row.StartedAt, row.FinishedAt, row.Error);
}

/// <summary>The sweep a file names; <paramref name="Replaces"/> is the sweep of the same file before it changed.</summary>
public sealed record SweepRegistration(SweepRecord Sweep, bool Created, SweepRecord? Replaces);
