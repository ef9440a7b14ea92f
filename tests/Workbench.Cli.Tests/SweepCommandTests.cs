// End-to-end: sweeps through the real CLI on small real MNIST trials (one thread, tens of steps, so a
// trial is mostly its process starting): trials run, are pruned, reported, resumed after kill -9 of the
// sweep or of a trial's process, registered for agents, and a changed file starts a new sweep.
using System.Diagnostics;
using System.Text.Json;
using Workbench.Tracking;

namespace Workbench.Cli.Tests;

public sealed class SweepCommandTests : IDisposable
{
    private const string Base = """
        name: mnist-tiny
        seed: 11
        device: cpu
        threads: 1
        data: {dataset: mnist, split: {val: 0.1}}
        model: {kind: mlp, hidden: [32], activation: relu}
        train:
          optimizer: {name: adam, lr: 1.0e-3}
          batch_size: 64
          max_steps: 60
          log_every: 10
          eval: {every: 30, batches: 4}
        """;

    private readonly CliRunner _cli = new();

    public SweepCommandTests() => _cli.Write("base.yaml", Base);

    public void Dispose() => _cli.Dispose();

    // A grid over the learning rate, the good one first: with ASHA at step 20 the later, worse ones stop there.
    private string Sweep(string lrs = "[3.0e-3, 1.0e-5]") => _cli.Write("sweep.yaml", $$"""
        spec: base.yaml
        method: grid
        metric: {name: val/acc, goal: max}
        parameters:
          train.optimizer.lr: {values: {{lrs}}}
        seeds: [1]
        early_terminate: {type: asha, min_steps: 20, reduction_factor: 2}
        """);

    // Trials long enough (a few seconds) to be killed while they train, with a checkpoint every 200 steps
    // to resume from; none pruned; a killed one retried once.
    private string LongSweep(string lrs, string more = "") => _cli.Write("long.yaml", $$"""
        spec: base.yaml
        set: {train.max_steps: 3000, train.checkpoint.every: 200}
        method: grid
        metric: {name: val/acc, goal: max}
        parameters:
          train.optimizer.lr: {values: {{lrs}}}
        seeds: [1]
        retries: 1
        {{more}}
        """);

    [Fact]
    public void A_sweep_runs_its_trials_prunes_the_worse_one_at_its_rung_and_reports_them()
    {
        var result = _cli.Run("sweep", Sweep());

        Assert.True(result.ExitCode == 0, result.Stderr);
        var id = result.LastLine;
        Assert.Matches("^[a-z0-9]{8}$", id);
        var show = Show(id);
        Assert.Equal("finished", show.GetProperty("status").GetString());
        var trials = Trials(show);
        Assert.Equal(("completed", (long?)null), trials[0]);
        Assert.Equal(("pruned", (long?)20), trials[1]);
        var pruned = show.GetProperty("trials").EnumerateArray().Single(t => t.GetProperty("number").GetInt32() == 1);
        var prunedRun = pruned.GetProperty("runs").GetProperty("1").GetString()!;
        var run = JsonDocument.Parse(_cli.Run("show", prunedRun, "--json").Stdout).RootElement;
        Assert.Equal("pruned", run.GetProperty("status").GetString());
        Assert.Equal("pruned at step 20", run.GetProperty("error").GetString());
        Assert.Equal(0, show.GetProperty("best").GetProperty("number").GetInt32());

        var report = Path.Combine(_cli.Directory, "runs", "sweeps", id, "report.html");
        Assert.Contains($"report: {report}", result.Stderr);
        var html = File.ReadAllText(report);
        Assert.Contains(prunedRun, html);
        Assert.Contains("<title>trial 0 (completed): val/acc", html);   // its line in the parallel coordinates
        Assert.Contains("<title>trial 1 (pruned): val/acc", html);
        Assert.Contains("pruned at 20", html);   // its learning curve's label
        Assert.Contains("<td class=\"status-pruned\">pruned</td>", html);
    }

    [Fact]
    public void Parallel_0_registers_the_sweep_for_an_agent_and_a_changed_file_starts_a_new_sweep()
    {
        var file = Sweep();
        var registered = _cli.Run("sweep", file, "--parallel", "0");
        Assert.True(registered.ExitCode == 0, registered.Stderr);
        var id = registered.LastLine;
        Assert.Empty(Show(id).GetProperty("trials").EnumerateArray());

        var agent = _cli.Run("agent", id, "--count", "1");

        Assert.True(agent.ExitCode == 0, agent.Stderr);
        var show = Show(id);
        Assert.Equal("stopped", show.GetProperty("status").GetString());
        Assert.Equal([("completed", (long?)null)], Trials(show));
        var again = _cli.Run("sweep", file, "--parallel", "0");
        Assert.Equal(id, again.LastLine);
        Assert.Contains("resuming", again.Stderr);

        Sweep(lrs: "[3.0e-3, 1.0e-3]");
        var changed = _cli.Run("sweep", file, "--parallel", "0");

        Assert.NotEqual(id, changed.LastLine);
        Assert.Contains($"changed since sweep {id}; starting a new sweep", changed.Stderr);
        var listed = JsonDocument.Parse(_cli.Run("sweeps", "--json").Stdout).RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString());
        Assert.Equal(new[] { id, changed.LastLine }.Order(), listed.Order());
    }

    // Issue 13: kill -9 of `sweep` mid-sweep, same command again: no finished trial repeated, none lost,
    // budget kept, no orphaned trial process; the killed trial goes on from its last checkpoint.
    [SkippableFact]
    public void After_kill_9_of_the_sweep_no_trial_process_is_left_and_the_same_command_keeps_finished_trials_budget_and_resumes_the_killed_one()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the parent-death signal is Linux's");
        // Three grid points, a budget of two trials.
        var file = LongSweep("[3.0e-3, 1.0e-3, 3.0e-4]", "budget: {trials: 2}");
        using var sweep = _cli.Start("sweep", file);
        _ = sweep.StandardOutput.ReadToEndAsync();
        _ = sweep.StandardError.ReadToEndAsync();
        var (sweepId, runId) = WaitForTrialRun(trial: 1, sweep, checkpointed: true);
        var trialProcess = RunPid(runId);

        sweep.Kill();   // SIGKILL: the sweep cannot stop its trial; the kernel must
        sweep.WaitForExit();

        WaitUntilGone(trialProcess);
        var before = Show(sweepId);
        Assert.Equal("stopped", before.GetProperty("status").GetString());   // its trial's process is gone
        var finishedRun = before.GetProperty("trials").EnumerateArray().Single(t => t.GetProperty("number").GetInt32() == 0)
            .GetProperty("runs").GetProperty("1").GetString();
        var resumed = _cli.Run("sweep", file);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(sweepId, resumed.LastLine);
        Assert.Contains($"trial 1: seed 1 resumes run {runId} from its last checkpoint", resumed.Stderr);
        var show = Show(sweepId);
        Assert.Equal("finished", show.GetProperty("status").GetString());
        Assert.Equal([("completed", (long?)null), ("completed", null)], Trials(show));   // two: the budget
        var byNumber = show.GetProperty("trials").EnumerateArray().OrderBy(t => t.GetProperty("number").GetInt32()).ToList();
        Assert.Equal([1, 2], byNumber.Select(t => t.GetProperty("attempts").GetInt32()));
        Assert.Equal([finishedRun, runId], byNumber.Select(t => t.GetProperty("runs").GetProperty("1").GetString()));
        Assert.Equal("finished", JsonDocument.Parse(_cli.Run("show", runId, "--json").Stdout).RootElement.GetProperty("status").GetString());
        Assert.Equal(2, JsonDocument.Parse(_cli.Run("ls", "--json").Stdout).RootElement.GetArrayLength());
        Assert.Empty(TrialProcesses(sweepId));
    }

    // Issue 13: a retried trial resumes from its last checkpoint, keeping its number and counting one retry.
    [SkippableFact]
    public void A_trial_process_killed_with_sigkill_is_retried_by_its_sweep_from_its_last_checkpoint()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "process ids from /proc");
        using var sweep = _cli.Start("sweep", LongSweep("[3.0e-3]"));
        var stdout = sweep.StandardOutput.ReadToEndAsync();
        var stderr = sweep.StandardError.ReadToEndAsync();
        var (sweepId, runId) = WaitForTrialRun(trial: 0, sweep, checkpointed: true);

        Process.GetProcessById(RunPid(runId)).Kill();
        sweep.WaitForExit();

        Assert.True(sweep.ExitCode == 0, stderr.Result);
        Assert.Equal(sweepId, stdout.Result.Trim().Split('\n').Last());
        Assert.Contains("it will be retried", stderr.Result);
        Assert.Contains($"trial 0: seed 1 resumes run {runId} from its last checkpoint", stderr.Result);
        var trial = Show(sweepId).GetProperty("trials").EnumerateArray().Single();
        Assert.Equal(("completed", 0, 2), (trial.GetProperty("status").GetString(), trial.GetProperty("number").GetInt32(), trial.GetProperty("attempts").GetInt32()));
        Assert.Equal(runId, trial.GetProperty("runs").GetProperty("1").GetString());
        var run = JsonDocument.Parse(_cli.Run("show", runId, "--json").Stdout).RootElement;
        Assert.Equal("finished", run.GetProperty("status").GetString());
        // Its series is whole: one train/loss point every log_every (10) steps to 3000, none twice.
        var losses = _cli.Run("export", runId, "--format", "csv").Stdout.Split('\n').Where(l => l.StartsWith("train/loss,", StringComparison.Ordinal))
            .Select(l => l.Split(',')[1]).ToList();
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (i * 10).ToString(System.Globalization.CultureInfo.InvariantCulture)), losses);
    }

    [SkippableFact]
    public void Ctrl_c_stops_the_running_trial_cleanly_and_the_next_sweep_runs_it_without_spending_a_retry()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "signals");
        var file = LongSweep("[3.0e-3]");
        using var sweep = _cli.Start("sweep", file);
        var stdout = sweep.StandardOutput.ReadToEndAsync();
        var stderr = sweep.StandardError.ReadToEndAsync();
        var (sweepId, runId) = WaitForTrialRun(trial: 0, sweep);

        using (var interrupt = Process.Start("kill", ["-INT", sweep.Id.ToString()])) interrupt.WaitForExit();
        sweep.WaitForExit();

        Assert.True(sweep.ExitCode == 130, stderr.Result);
        Assert.Equal(sweepId, stdout.Result.Trim().Split('\n').Last());
        var interrupted = Show(sweepId).GetProperty("trials").EnumerateArray().Single();
        Assert.Equal(("pending", 0), (interrupted.GetProperty("status").GetString(), interrupted.GetProperty("attempts").GetInt32()));
        var run = JsonDocument.Parse(_cli.Run("show", runId, "--json").Stdout).RootElement;
        Assert.Equal("killed", run.GetProperty("status").GetString());
        Assert.StartsWith("interrupted at step", run.GetProperty("error").GetString());   // it checkpointed where it stopped

        Assert.Equal(0, _cli.Run("sweep", file).ExitCode);
        var trial = Show(sweepId).GetProperty("trials").EnumerateArray().Single();
        Assert.Equal(("completed", 1), (trial.GetProperty("status").GetString(), trial.GetProperty("attempts").GetInt32()));
    }

    [Fact]
    public void The_morning_report_and_show_give_numbers_as_numbers_the_importance_and_the_best_trials_against_the_plain_spec_run()
    {
        // Given a plain run of the base spec (the baseline when the spec names none) and a grid over the lr
        var plain = _cli.Run("run", "base.yaml");
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        var baseline = plain.LastLine;
        var file = _cli.Write("lr.yaml", """
            spec: base.yaml
            method: grid
            metric: {name: val/acc, goal: max}
            parameters:
              train.optimizer.lr: {values: [3.0e-3, 1.0e-3, 1.0e-5]}
              model.hidden: {values: [[32]]}
            seeds: [1]
            """);

        // When the sweep runs its three trials
        var result = _cli.Run("sweep", file);

        // Then --json gives each swept value as JSON (numbers, a list of numbers) and the importance of each parameter
        Assert.True(result.ExitCode == 0, result.Stderr);
        var id = result.LastLine;
        var show = Show(id);
        var parameters = show.GetProperty("trials").EnumerateArray().Single(t => t.GetProperty("number").GetInt32() == 0).GetProperty("parameters");
        Assert.Equal(0.003, parameters.GetProperty("train.optimizer.lr").GetDouble());
        Assert.Equal([32], parameters.GetProperty("model.hidden").EnumerateArray().Select(e => e.GetInt32()));
        var importance = show.GetProperty("importance");
        Assert.Equal(3, importance.GetProperty("trials").GetInt32());
        Assert.Equal(1.0, importance.GetProperty("parameters").GetProperty("train.optimizer.lr").GetDouble());   // the only one that varied
        Assert.Equal(0.0, importance.GetProperty("parameters").GetProperty("model.hidden").GetDouble());
        Assert.Contains("functional ANOVA", importance.GetProperty("method").GetString());

        // And the table fits 80 columns, names parameters short and says the importance
        var table = _cli.Run("sweep", "show", id);
        Assert.True(table.ExitCode == 0, table.Stderr);
        var rows = table.Stdout.Split('\n').SkipWhile(line => !line.Contains("trial", StringComparison.Ordinal) || !line.Contains("status", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, line => Assert.True(line.TrimEnd().Length <= 80, $"{line.TrimEnd().Length} columns: {line}"));
        Assert.Contains("lr=0.003 hidden=[32]", table.Stdout);
        Assert.Contains("  parameters  lr: train.optimizer.lr, hidden: model.hidden", table.Stdout);
        Assert.Contains("  importance  lr 1.00, hidden 0.00 (fANOVA over 3 completed trials)", table.Stdout);

        // And the report draws the best trials against the plain run, and gives the best spec
        var html = File.ReadAllText(Path.Combine(_cli.Directory, "runs", "sweeps", id, "report.html"));
        Assert.Contains($"({baseline}), the best of 1 finished run(s) of", html);
        Assert.Contains("\"label\":\"baseline mnist-tiny\",\"baseline\":true", html);
        Assert.Contains("<pre class=\"spec\"># Resolved experiment spec", html);
        var bestLr = show.GetProperty("best").GetProperty("parameters").GetProperty("train.optimizer.lr").GetDouble();
        Assert.Contains($"lr: {bestLr.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n", html[html.IndexOf("<pre class=\"spec\">", StringComparison.Ordinal)..]);
        Assert.Contains("<h2>Parameter importance</h2>", html);
    }

    [Fact]
    public void A_bad_sweep_file_or_parallel_count_is_refused_with_nothing_written()
    {
        var bad = _cli.Write("bad.yaml", "spec: base.yaml\nmethod: gird\nparameters:\n  train.optimizer.lr: {values: [1.0e-3]}\n");

        _cli.AssertRefusedWithNothingWritten(_cli.Run("sweep", bad), 2, "bad.yaml", "method");
        _cli.AssertRefusedWithNothingWritten(_cli.Run("sweep", Sweep(), "--parallel", "-1"), 2, "--parallel -1");
    }

    private JsonElement Show(string sweep) => JsonDocument.Parse(_cli.Run("sweep", "show", sweep, "--json").Stdout).RootElement;

    // Each trial's status and pruned step, in trial-number order.
    private static List<(string?, long?)> Trials(JsonElement show) => show.GetProperty("trials").EnumerateArray()
        .OrderBy(t => t.GetProperty("number").GetInt32())
        .Select(t => (t.GetProperty("status").GetString(), t.GetProperty("pruned_step").ValueKind == JsonValueKind.Null ? null : (long?)t.GetProperty("pruned_step").GetInt64()))
        .ToList();

    // Polls the store until the trial has a run training (its process is past start-up; with
    // checkpointed, past its first checkpoint); returns the sweep and run ids.
    private (string Sweep, string Run) WaitForTrialRun(int trial, Process sweep, bool checkpointed = false)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(sweep.HasExited, "the sweep ended before its trial could be killed");
            if (File.Exists(_cli.Db))
            {
                using var store = RunStore.Open(_cli.Db);
                foreach (var s in store.ListSweeps())
                {
                    if (store.GetTrials(s.Id).FirstOrDefault(t => t.Number == trial && t.Status == TrialStatus.Running) is { RunIds.Count: > 0 } running
                        && (!checkpointed || HasCheckpoint(running.RunIds.Values.Single())))
                        return (s.Id, running.RunIds.Values.Single());
                }
            }
            Thread.Sleep(20);
        }
        throw new TimeoutException($"trial {trial} never started a run");
    }

    private bool HasCheckpoint(string runId)
    {
        var folder = Path.Combine(_cli.Directory, "runs", runId, "checkpoints");
        return Directory.Exists(folder) && Directory.EnumerateDirectories(folder, "step-*").Any();
    }

    // The processes on this machine training a trial of the sweep (their command line names it).
    private static List<int> TrialProcesses(string sweepId) => Directory.EnumerateDirectories("/proc")
        .Select(folder => Path.GetFileName(folder)).Where(name => name.All(char.IsDigit))
        .Select(name => int.Parse(name, System.Globalization.CultureInfo.InvariantCulture))
        .Where(pid =>
        {
            try
            {
                return File.ReadAllText($"/proc/{pid}/cmdline").Contains($"--sweep-trial\0{sweepId}:", StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false;
            }
        }).ToList();

    // Read in this process: a CLI call takes long enough for a short trial to end meanwhile.
    private int RunPid(string runId)
    {
        using var store = RunStore.Open(_cli.Db);
        return store.Get(runId).Process!.Pid;
    }

    // A process that has exited (or is a zombie waiting to be reaped) is gone.
    internal static void WaitUntilGone(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                if (File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal)) return;
            }
            catch (IOException)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the trial process {pid} outlived its killed sweep");
            Thread.Sleep(20);
        }
    }
}
