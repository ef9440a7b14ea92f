// End-to-end, against a real PostgreSQL server (skipped, saying why, where none can be started): sweep
// agents as separate CLI processes sharing one sweep. Each agent poses as its own machine
// (WORKBENCH_HOST), so a dead agent is seen the way other machines see it: by its heartbeat going stale,
// here after WORKBENCH_HEARTBEAT_TIMEOUT=3 s rather than 30. xor-sized trials; each test takes seconds.
using System.Diagnostics;
using System.Text.Json;
using Workbench.Tests.Shared;
using Workbench.Tracking;

namespace Workbench.Cli.Tests;

public sealed class SweepAgentTests : IDisposable
{
    // About a second of training, a checkpoint every 500 steps: long enough to be killed between two.
    private const string Xor = """
        name: xor
        seed: 1
        device: cpu
        threads: 1
        data: {dataset: xor}
        model: {kind: perceptron, hidden: 2, activation: sigmoid}
        train:
          optimizer: {name: sgd, lr: 1.0}
          batch_size: 4
          epochs: 4000
          log_every: 500
          eval: {every: 1000}
          checkpoint: {every: 500, keep: 1}
        """;

    private readonly CliRunner _cli = new();
    private PostgresServer? _server;
    private string? _database;

    public SweepAgentTests()
    {
        _cli.Write("xor.yaml", Xor);
        _cli.Environment[RunStore.HeartbeatTimeoutVariable] = "3";
        _cli.Environment[StoreLocation.RunsVariable] = Path.Combine(_cli.Directory, "shared-runs");
    }

    public void Dispose()
    {
        if (_database is not null) _server?.DropDatabase(_database);
        _cli.Dispose();
    }

    private string Sweep(int trials, string set = "{}") => _cli.Write("sweep.yaml", $$"""
        spec: xor.yaml
        set: {{set}}
        method: grid
        metric: {name: val/acc, goal: max}
        parameters:
          train.optimizer.lr: {values: [{{string.Join(", ", Enumerable.Range(1, trials).Select(i => $"{i * 0.1:0.0}"))}}]}
        seeds: [1]
        retries: 1
        """);

    [SkippableFact]
    public void Three_agents_run_12_trials_and_one_killed_mid_trial_leaves_each_trial_finished_exactly_once()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the parent-death signal and /proc are Linux's");
        var url = UseServer();
        var registered = _cli.Run("sweep", Sweep(12), "--parallel", "0");
        Assert.True(registered.ExitCode == 0, registered.Stderr);
        var sweepId = registered.LastLine;

        var agents = new[] { "agent-a", "agent-b", "agent-c" }.Select(host =>
        {
            _cli.Environment[RunProcess.HostVariable] = host;
            var process = _cli.Start("agent", sweepId);
            return (Host: host, Process: process, Stdout: process.StandardOutput.ReadToEndAsync(), Stderr: process.StandardError.ReadToEndAsync());
        }).ToList();
        try
        {
            // agent-b's trial, once its run has written a checkpoint and trains on.
            var (victimTrial, victimRun) = WaitForTrial(url, sweepId, host: "agent-b", agents[1].Process, agents[1].Stderr, checkpointed: true);
            var trialProcess = victimRun.Process!.Pid;

            agents[1].Process.Kill();   // SIGKILL: no goodbye; its trial process must die with it
            agents[1].Process.WaitForExit();

            SweepCommandTests.WaitUntilGone(trialProcess);
            foreach (var survivor in new[] { agents[0], agents[2] })
            {
                Assert.True(survivor.Process.WaitForExit(TimeSpan.FromMinutes(3)), $"{survivor.Host} did not finish");
                Assert.True(survivor.Process.ExitCode == 0, survivor.Stderr.Result);
            }

            using var store = RunStore.Open(url);
            var trials = store.GetTrials(sweepId);
            Assert.Equal(Enumerable.Range(0, 12), trials.Select(t => t.Number));
            Assert.All(trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
            Assert.Equal(SweepStatus.Finished, store.GetSweep(sweepId).Status);
            var retried = Assert.Single(trials, t => t.Attempts > 1);
            Assert.Equal((victimTrial, 2), (retried.Number, retried.Attempts));
            // Resumed from its checkpoint by a survivor: the same run, finished there.
            Assert.Equal(victimRun.Id, retried.RunIds.Values.Single());
            var runs = store.List();
            Assert.Equal(12, runs.Count);
            Assert.All(runs, r => Assert.Equal(RunStatus.Finished, r.EffectiveStatus));
            Assert.NotEqual("agent-b", store.Get(victimRun.Id).Host);
            // Each trial's end said once, by whichever agent finished it.
            var ends = agents.SelectMany(a => a.Process.HasExited ? a.Stderr.Result.Split('\n') : [])
                .Where(l => l.Contains(": completed", StringComparison.Ordinal)).ToList();
            Assert.Equal(12, ends.Count);
            Assert.Equal(12, ends.Select(l => l[..l.IndexOf(": completed", StringComparison.Ordinal)]).Distinct().Count());
        }
        finally
        {
            foreach (var agent in agents.Where(a => !a.Process.HasExited)) agent.Process.Kill();
            foreach (var agent in agents) agent.Process.Dispose();
        }
    }

    [SkippableFact]
    public void A_trial_process_gets_the_database_password_outside_its_command_line_and_nothing_prints_it()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "/proc/PID/cmdline is Linux's");
        var server = _server = PostgresServer.Require();
        var superuser = _database = server.CreateDatabase();
        server.Psql($"ALTER DATABASE {PostgresServer.DatabaseOf(superuser)} OWNER TO {PostgresServer.PasswordUser};");
        _cli.Db = server.Url(PostgresServer.DatabaseOf(superuser), PostgresServer.PasswordUser)
            .Replace("runner@", $"runner:{Uri.EscapeDataString(PostgresServer.Password)}@");
        var escaped = Uri.EscapeDataString(PostgresServer.Password);
        Assert.Equal(0, _cli.Run("sweeps").ExitCode);   // the tables, made by their owner before the test reads them as superuser

        using var sweep = _cli.Start("sweep", Sweep(1, set: "{train.epochs: 10000}"));   // long enough to be caught running
        var stdout = sweep.StandardOutput.ReadToEndAsync();
        var stderr = sweep.StandardError.ReadToEndAsync();
        var (_, run) = WaitForTrial(superuser, sweepId: null, host: null, sweep, stderr, checkpointed: false);
        var commandLine = File.ReadAllText($"/proc/{run.Process!.Pid}/cmdline").Replace('\0', ' ');
        sweep.WaitForExit();

        Assert.Contains("--sweep-trial", commandLine);
        Assert.Contains("postgresql://runner@127.0.0.1", commandLine);
        Assert.DoesNotContain(PostgresServer.Password, commandLine);
        Assert.DoesNotContain(escaped, commandLine);
        Assert.True(sweep.ExitCode == 0, stderr.Result);
        var sweepId = stdout.Result.Trim().Split('\n').Last();
        using (var store = RunStore.Open(superuser))
        {
            Assert.Equal(TrialStatus.Completed, store.GetTrials(sweepId).Single().Status);   // the trial reached the store
            Assert.Equal(RunStatus.Finished, store.Get(run.Id).Status);
        }
        var printed = new[]
        {
            stdout.Result, stderr.Result, _cli.Run("sweeps").Stdout, _cli.Run("sweeps", "--json").Stdout,
            _cli.Run("sweep", "show", sweepId).Stdout, _cli.Run("sweep", "show", sweepId, "--json").Stdout,
            _cli.Run("show", run.Id).Stdout, _cli.Run("show", run.Id, "--json").Stdout, _cli.Run("ls", "--json").Stdout,
            _cli.Run("sweep", "show", "nosuchsweep").Stderr,
        };
        Assert.All(printed, text => Assert.DoesNotContain(PostgresServer.Password, text));
        Assert.All(printed, text => Assert.DoesNotContain(escaped, text));
        Assert.Contains("no sweep 'nosuchsweep' in postgresql://runner@127.0.0.1", printed[^1]);
        // A run started by hand with the password in --db keeps its command line without it.
        var byHand = _cli.Run("run", Path.Combine(_cli.Directory, "xor.yaml"), "--set", "train.epochs=10");
        Assert.True(byHand.ExitCode == 0, byHand.Stderr);
        var stored = JsonDocument.Parse(_cli.Run("show", byHand.LastLine, "--json").Stdout).RootElement.GetProperty("command_line").GetString();
        Assert.Contains("postgresql://runner:***@127.0.0.1", stored);
        Assert.DoesNotContain(escaped, stored);
    }

    private string UseServer()
    {
        _server = PostgresServer.Require();
        return _cli.Db = _database = _server.CreateDatabase();
    }

    // Polls the store until a running trial (of this sweep, held by this host, when given) has a run that
    // trains (with checkpointed, past its first checkpoint); returns the trial's number and the run.
    private static (int Trial, RunRecord Run) WaitForTrial(string url, string? sweepId, string? host, Process owner, Task<string> ownerStderr, bool checkpointed)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        using var store = RunStore.Open(url);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(owner.HasExited, $"the agent ended before its trial could be caught running: {(owner.HasExited ? ownerStderr.Result : "")}");
            foreach (var sweep in sweepId is null ? store.ListSweeps().Select(s => s.Id) : [sweepId])
            {
                foreach (var trial in store.GetTrials(sweep).Where(t => t.Status == TrialStatus.Running && (host is null || t.Process?.Host == host)))
                {
                    if (trial.RunIds.Values.SingleOrDefault() is not { } runId) continue;
                    var run = store.Get(runId);
                    var checkpoints = Path.Combine(run.RunDir, "checkpoints");
                    if (run.Status == RunStatus.Running && run.Process is not null
                        && (!checkpointed || (Directory.Exists(checkpoints) && Directory.EnumerateDirectories(checkpoints, "step-*").Any())))
                        return (trial.Number, run);
                }
            }
            Thread.Sleep(20);
        }
        throw new TimeoutException(checkpointed ? "no trial reached its first checkpoint" : "no trial started its run");
    }
}
