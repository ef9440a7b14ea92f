// A run whose process died stops beating and shows as killed after 30 s.
namespace Workbench.Tracking.Tests;

public class HeartbeatTests : IDisposable
{
    private readonly TestDatabase _db;

    public HeartbeatTests() : this(new TestDatabase()) { }

    protected HeartbeatTests(TestDatabase db) => _db = db;

    public void Dispose() => _db.Dispose();

    [SkippableFact]
    public void A_running_run_with_a_heartbeat_older_than_30_seconds_is_shown_as_killed()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());

        _db.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(RunStatus.Running, store.Get(run.Id).EffectiveStatus);

        _db.Clock.Advance(TimeSpan.FromSeconds(2));
        var stale = store.Get(run.Id);
        Assert.Equal(RunStatus.Running, stale.Status);
        Assert.Equal(RunStatus.Killed, stale.EffectiveStatus);
        Assert.Equal([run.Id], store.List(status: "killed").Select(r => r.Id));
        Assert.Empty(store.List(status: "running"));
    }

    [SkippableFact]
    public void A_heartbeat_keeps_the_run_running()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());

        _db.Clock.Advance(TimeSpan.FromSeconds(25));
        store.Heartbeat(run.Id);
        _db.Clock.Advance(TimeSpan.FromSeconds(25));

        Assert.Equal(RunStatus.Running, store.Get(run.Id).EffectiveStatus);
    }

    [SkippableFact]
    public void A_finished_run_stays_finished_however_old_its_heartbeat()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());
        store.Finish(run.Id, RunStatus.Finished, null, null);

        _db.Clock.Advance(TimeSpan.FromDays(3));

        Assert.Equal(RunStatus.Finished, store.Get(run.Id).EffectiveStatus);
    }

    [SkippableFact]
    public void A_started_heartbeat_beats_on_its_own_until_disposed()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());
        _db.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(RunStatus.Killed, store.Get(run.Id).EffectiveStatus);

        using (store.StartHeartbeat(run.Id, TimeSpan.FromMilliseconds(20)))
        {
            _db.Clock.Advance(TimeSpan.FromMinutes(5));
            Assert.True(Poll.Until(() => store.Get(run.Id).EffectiveStatus == RunStatus.Running),
                "the heartbeat timer never refreshed the run");
        }
    }
}

/// <summary>The same tests on PostgreSQL (skipped where the test server cannot start).</summary>
public sealed class HeartbeatTestsOnPostgres() : HeartbeatTests(TestDatabase.Postgres());
