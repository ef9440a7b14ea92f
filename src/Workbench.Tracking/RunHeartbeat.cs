// Keeps a run's heartbeat fresh from a timer while its process lives; when the process dies the
// beats stop and, after RunStore.HeartbeatTimeout, the run shows as killed (at once when the
// store can see that its process is gone: RunProcess).
namespace Workbench.Tracking;

public sealed class RunHeartbeat : IDisposable
{
    private readonly RunStore _store;
    private readonly string _runId;
    private readonly ITimer _timer;

    internal RunHeartbeat(RunStore store, string runId, TimeSpan interval, TimeProvider clock)
    {
        _store = store;
        _runId = runId;
        _timer = clock.CreateTimer(_ => Beat(), null, interval, interval);
    }

    public void Dispose() => _timer.Dispose();

    private void Beat()
    {
        try
        {
            _store.Heartbeat(_runId);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or RunStoreException)
        {
            // A missed beat is harmless: the timeout allows several, and the next tick tries again.
        }
    }
}
