// Keeps a run's (or a sweep trial's) heartbeat fresh from a timer while its process lives; when the
// process dies the beats stop and, after RunStore.HeartbeatTimeout, the run shows as killed and the
// trial is retried (at once when the store can see that its process is gone: RunProcess).
namespace Workbench.Tracking;

public sealed class RunHeartbeat : IDisposable
{
    private readonly Action _beat;
    private readonly ITimer _timer;

    internal RunHeartbeat(Action beat, TimeSpan interval, TimeProvider clock)
    {
        _beat = beat;
        _timer = clock.CreateTimer(_ => Beat(), null, interval, interval);
    }

    public void Dispose() => _timer.Dispose();

    private void Beat()
    {
        try
        {
            _beat();
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or RunStoreException)
        {
            // A missed beat is harmless: the timeout allows several, and the next tick tries again.
        }
    }
}
