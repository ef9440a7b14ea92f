// A run whose process died without saying so (SIGKILL, OOM killer) is shown as killed at once, not
// 30 s later: the store records the run's pid and process start time and checks them on this host.
using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Workbench.Tracking.Tests;

public sealed class DeadProcessTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [SkippableFact]
    public void A_new_run_records_this_host_and_process()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "process start times come from /proc");
        using var store = _db.Open();

        var run = store.Get(store.CreateRun(TestDatabase.Run()).Id);

        Assert.Equal(new RunProcess(Environment.MachineName, Environment.ProcessId, RunProcess.Current.StartTicks), run.Process);
        Assert.NotNull(run.Process!.StartTicks);
        Assert.Equal(RunStatus.Running, run.EffectiveStatus);
    }

    [SkippableFact]
    public void A_running_run_whose_process_has_exited_is_killed_at_once()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "process start times come from /proc");
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());
        var (pid, started) = ExitedProcess();

        SetProcess(run.Id, Environment.MachineName, pid, started);

        var record = store.Get(run.Id);
        Assert.Equal(RunStatus.Running, record.Status);
        Assert.Equal(RunStatus.Killed, record.EffectiveStatus);
        Assert.Equal([run.Id], store.List(status: "killed").Select(r => r.Id));
    }

    [SkippableFact]
    public void A_pid_now_used_by_a_process_that_started_later_does_not_keep_the_run_alive()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "process start times come from /proc");
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());

        // This test process is alive, but it is not the process that started the run.
        SetProcess(run.Id, Environment.MachineName, Environment.ProcessId, RunProcess.Current.StartTicks!.Value - 1);

        Assert.Equal(RunStatus.Killed, store.Get(run.Id).EffectiveStatus);
    }

    [SkippableFact]
    public void A_dead_pid_on_another_host_is_left_to_the_heartbeat()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "process start times come from /proc");
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());
        var (pid, started) = ExitedProcess();
        SetProcess(run.Id, "another-machine", pid, started);

        Assert.Equal(RunStatus.Running, store.Get(run.Id).EffectiveStatus);

        _db.Clock.Advance(RunStore.HeartbeatTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(RunStatus.Killed, store.Get(run.Id).EffectiveStatus);
    }

    [SkippableFact]
    public void A_reopened_run_belongs_to_the_process_that_reopened_it()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "process start times come from /proc");
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());
        var (pid, started) = ExitedProcess();
        SetProcess(run.Id, Environment.MachineName, pid, started);
        Assert.Equal(RunStatus.Killed, store.Get(run.Id).EffectiveStatus);

        Assert.True(store.TryReopen(run.Id));

        var reopened = store.Get(run.Id);
        Assert.Equal(RunStatus.Running, reopened.EffectiveStatus);
        Assert.Equal(RunProcess.Current, reopened.Process);
    }

    [SkippableFact]
    public void Of_two_resumes_of_one_run_only_the_first_reopens_it()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "process start times come from /proc");
        using var store = _db.Open();
        using var other = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());
        var (pid, started) = ExitedProcess();
        SetProcess(run.Id, Environment.MachineName, pid, started);

        var results = new[] { store, other }.AsParallel().Select(s => s.TryReopen(run.Id)).ToArray();

        Assert.Equal(1, results.Count(r => r));
        Assert.Equal(RunStatus.Running, store.Get(run.Id).EffectiveStatus);
        Assert.False(store.TryReopen(run.Id));   // running, in this live process
    }

    [SkippableFact]
    public void A_finished_run_stays_finished_after_its_process_exits()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "process start times come from /proc");
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());
        store.Finish(run.Id, RunStatus.Finished, null, null);
        var (pid, started) = ExitedProcess();

        SetProcess(run.Id, Environment.MachineName, pid, started);

        Assert.Equal(RunStatus.Finished, store.Get(run.Id).EffectiveStatus);
    }

    // The pid and start time of a real process that has exited and been reaped.
    internal static (int Pid, long Started) ExitedProcess()
    {
        using var process = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        var started = RunProcess.StartTicksOf(process.Id);
        Assert.NotNull(started);
        process.Kill();
        process.WaitForExit();
        Assert.Null(RunProcess.StartTicksOf(process.Id));
        return (process.Id, started.Value);
    }

    private void SetProcess(string runId, string host, int pid, long started)
    {
        using var connection = new SqliteConnection($"Data Source={_db.DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE runs SET host = $host, pid = $pid, pid_start_ticks = $started WHERE id = $id;";
        command.Parameters.AddWithValue("$host", host);
        command.Parameters.AddWithValue("$pid", pid);
        command.Parameters.AddWithValue("$started", started);
        command.Parameters.AddWithValue("$id", runId);
        Assert.Equal(1, command.ExecuteNonQuery());
    }
}
