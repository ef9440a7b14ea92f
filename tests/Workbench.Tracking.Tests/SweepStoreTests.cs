// Sweeps in the store: the same file content resumes its sweep, a changed file starts a new one, and a
// trial whose process died goes back to pending (retried) until the sweep's retries are spent.
namespace Workbench.Tracking.Tests;

public class SweepStoreTests : IDisposable
{
    private readonly TestDatabase _db;

    public SweepStoreTests() : this(new TestDatabase()) { }

    protected SweepStoreTests(TestDatabase db) => _db = db;

    public void Dispose() => _db.Dispose();

    internal static NewSweep Sweep(string hash = "hash-a", int retries = 1) =>
        new("sweep-mnist", hash, "/sweeps/mnist.yaml", """{"method":"random"}""", retries, BudgetTrials: 20, DeadlineAt: null);

    // Draws trials numbered like their parameters, up to `limit`.
    private static Func<IReadOnlyList<TrialRecord>, IReadOnlyList<RungRecord>, int, string?> Draw(int limit = 100) =>
        (trials, _, number) => trials.Count < limit ? $$"""{"train.optimizer.lr":"{{number}}"}""" : null;

    [SkippableFact]
    public void The_same_content_hash_resumes_the_sweep_and_a_changed_file_starts_a_new_one_naming_the_old()
    {
        using var store = _db.Open();
        var first = store.RegisterSweep(Sweep());

        var again = store.RegisterSweep(Sweep());
        var changed = store.RegisterSweep(Sweep(hash: "hash-b"));

        Assert.True(first.Created);
        Assert.Equal((first.Sweep.Id, false), (again.Sweep.Id, again.Created));
        Assert.True(changed.Created);
        Assert.NotEqual(first.Sweep.Id, changed.Sweep.Id);
        Assert.Equal(first.Sweep.Id, changed.Replaces!.Id);
        Assert.Equal(new[] { first.Sweep.Id, changed.Sweep.Id }.Order(), store.ListSweeps().Select(s => s.Id).Order());
        Assert.Equal(first.Sweep.Id, store.GetSweep(first.Sweep.Id[..5]).Id);
    }

    [SkippableFact]
    public void Claims_number_trials_in_order_and_stop_when_the_sampler_has_none_left()
    {
        using var store = _db.Open();
        var sweep = store.RegisterSweep(Sweep()).Sweep;

        var claimed = Enumerable.Range(0, 4).Select(_ => store.ClaimTrial(sweep.Id, Draw(limit: 3))).ToList();

        Assert.Equal([0, 1, 2], claimed.Take(3).Select(t => t!.Number));
        Assert.Null(claimed[3]);
        var trial = store.GetTrials(sweep.Id)[1];
        Assert.Equal((TrialStatus.Running, 1, RunProcess.Current), (trial.Status, trial.Attempts, trial.Process));
        Assert.Equal("""{"train.optimizer.lr":"1"}""", trial.ParametersJson);
    }

    [SkippableFact]
    public void A_trial_whose_process_died_is_retried_then_failed_once_its_retries_are_spent()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "process start times come from /proc");
        using var store = _db.Open();
        var sweep = store.RegisterSweep(Sweep(retries: 1)).Sweep;
        var trial = store.ClaimTrial(sweep.Id, Draw())!;
        store.AttachTrialRun(sweep.Id, trial.Number, 1, "run00001");
        store.ReportRung(sweep.Id, trial.Number, 100, 0.5);
        store.ReportRung(sweep.Id, trial.Number, 200, 0.6);
        DieAs(sweep.Id, trial.Number, DeadProcessTests.ExitedProcess());

        var retried = store.ClaimTrial(sweep.Id, Draw())!;

        Assert.Equal((0, 2, TrialStatus.Running), (retried.Number, retried.Attempts, retried.Status));
        // The dead attempt's run and rungs are kept for the retry to resume from...
        Assert.Equal("run00001", retried.RunIds[1]);
        Assert.Equal(2, store.GetRungs(sweep.Id).Count);
        // ...which drops the rungs past its checkpoint (here step 150), since it reports them again.
        store.DropRungsAfter(sweep.Id, trial.Number, 150);
        Assert.Equal([new RungRecord(0, 100, 0.5)], store.GetRungs(sweep.Id));
        DieAs(sweep.Id, trial.Number, DeadProcessTests.ExitedProcess());

        var next = store.ClaimTrial(sweep.Id, Draw())!;

        Assert.Equal(1, next.Number);
        var failed = store.GetTrials(sweep.Id)[0];
        Assert.Equal(TrialStatus.Failed, failed.Status);
        Assert.Contains("died", failed.Error);
        Assert.Contains("the sweep retries 1", failed.Error);
    }

    [SkippableFact]
    public void A_trial_whose_heartbeat_stopped_is_reclaimed_after_the_timeout_and_its_old_holder_cannot_finish_it()
    {
        using var store = _db.Open();
        var sweep = store.RegisterSweep(Sweep()).Sweep;
        var trial = store.ClaimTrial(sweep.Id, Draw())!;
        MoveTo(sweep.Id, trial.Number, "another-machine");

        Assert.Equal(1, store.ClaimTrial(sweep.Id, Draw())!.Number);   // still alive within the timeout
        _db.Clock.Advance(RunStore.HeartbeatTimeout + TimeSpan.FromSeconds(1));
        store.TrialHeartbeat(sweep.Id, 1);
        var reclaimed = store.ClaimTrial(sweep.Id, Draw())!;

        Assert.Equal((0, 2), (reclaimed.Number, reclaimed.Attempts));
        Assert.True(store.FinishTrial(sweep.Id, 1, TrialStatus.Completed, 0.9, null, null));
        MoveTo(sweep.Id, 0, "another-machine");
        Assert.False(store.FinishTrial(sweep.Id, 0, TrialStatus.Completed, 0.9, null, null));
    }

    [SkippableFact]
    public void An_interrupted_trial_goes_back_to_pending_without_spending_an_attempt()
    {
        using var store = _db.Open();
        var sweep = store.RegisterSweep(Sweep(retries: 0)).Sweep;
        var trial = store.ClaimTrial(sweep.Id, Draw())!;

        Assert.True(store.ReleaseTrial(sweep.Id, trial.Number, "interrupted", interrupted: true));

        Assert.Equal((TrialStatus.Pending, 0), (store.GetTrials(sweep.Id)[0].Status, store.GetTrials(sweep.Id)[0].Attempts));
        Assert.Equal((0, 1), (store.ClaimTrial(sweep.Id, Draw())!.Number, store.GetTrials(sweep.Id)[0].Attempts));
    }

    [SkippableFact]
    public void A_finished_trial_keeps_its_score_pruned_step_runs_and_rungs()
    {
        using var store = _db.Open();
        var sweep = store.RegisterSweep(Sweep()).Sweep;
        var trial = store.ClaimTrial(sweep.Id, Draw())!;
        store.AttachTrialRun(sweep.Id, trial.Number, 7, "run00007");
        store.ReportRung(sweep.Id, trial.Number, 100, 0.40);
        store.ReportRung(sweep.Id, trial.Number, 100, 0.45);

        Assert.True(store.FinishTrial(sweep.Id, trial.Number, TrialStatus.Pruned, 0.45, 100, null));

        var stored = store.GetTrials(sweep.Id).Single();
        Assert.Equal((TrialStatus.Pruned, 0.45, 100L), (stored.Status, stored.Score, stored.PrunedStep));
        Assert.Equal("run00007", stored.RunIds[7]);
        Assert.NotNull(stored.FinishedAt);
        Assert.Equal([new RungRecord(0, 100, 0.45)], store.GetRungs(sweep.Id));
    }

    // Makes the trial's holder another process: an exited one on this host, or one on another machine.
    private void DieAs(string sweepId, int number, (int Pid, long Started) process) =>
        SetHolder(sweepId, number, Environment.MachineName, process.Pid, process.Started);

    private void MoveTo(string sweepId, int number, string host) => SetHolder(sweepId, number, host, 1, 1);

    private void SetHolder(string sweepId, int number, string host, int pid, long started) =>
        Assert.Equal(1, _db.Execute("UPDATE sweep_trials SET host = @host, pid = @pid, pid_start_ticks = @started WHERE sweep_id = @sweep AND number = @number;",
            ("@host", host), ("@pid", pid), ("@started", started), ("@sweep", sweepId), ("@number", number)));
}

/// <summary>The same tests on PostgreSQL (skipped where the test server cannot start).</summary>
public sealed class SweepStoreTestsOnPostgres() : SweepStoreTests(TestDatabase.Postgres());
