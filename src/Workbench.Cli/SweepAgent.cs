// Runs trials of a sweep: each slot (a thread) claims the next trial from the store, runs its seeds one
// after another as `workbench run` child processes and records how the trial ended. `sweep --parallel N`
// runs N slots and `agent` one; any number of them, on any machines, share a sweep through the store.
using System.Globalization;
using Workbench.Experiments.Checkpoints;
using Workbench.Experiments.Specs;
using Workbench.Experiments.Sweeps;
using Workbench.Torch;
using Workbench.Tracking;

namespace Workbench.Cli;

internal sealed class SweepAgent(RunStore store, SweepRecord sweep, int slots, CancellationToken cancellation)
{
    private readonly SweepDefinition _definition = SweepDefinitionJson.Read(sweep.DefinitionJson);
    private readonly Lock _console = new();
    private IReadOnlyList<string> _threads = [];
    private int _started;

    /// <summary>
    /// Runs the slots until the budget is spent, the search has no trial left, <paramref name="count"/>
    /// trials were claimed, or Ctrl-C. Marks the sweep finished when nothing is left to run.
    /// </summary>
    public void Run(int? count)
    {
        var environments = SlotEnvironments();
        var threads = environments.Select((environment, slot) => new Thread(() => Work(environment, count)) { Name = $"sweep slot {slot}" }).ToList();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        if (!cancellation.IsCancellationRequested && store.GetTrials(sweep.Id).All(t => t.Status.IsDone()) && !HasMore())
            store.SetSweepStatus(sweep.Id, SweepStatus.Finished);
    }

    // A slot lives (and so does the thread that started its child) until its child has exited: see TrialProcess.
    // With nothing to claim while trials still run (here or in other agents, on any machine), the slot waits
    // rather than leaves: a trial whose agent dies goes back to pending once its heartbeat is stale
    // (RunStore.HeartbeatTimeout), and some agent must still be there to take it.
    private void Work(IReadOnlyDictionary<string, string> environment, int? count)
    {
        while (!cancellation.IsCancellationRequested && !PastDeadline())
        {
            if (count is { } limit && Interlocked.Increment(ref _started) > limit) return;
            if (store.ClaimTrial(sweep.Id, Suggest) is { } trial)
            {
                RunTrial(trial, environment);
                continue;
            }
            if (count is not null) Interlocked.Decrement(ref _started);
            if (!store.GetTrials(sweep.Id).Any(t => t.Status == TrialStatus.Running)) return;
            cancellation.WaitHandle.WaitOne(RunStore.HeartbeatInterval);
        }
    }

    private bool PastDeadline() => sweep.DeadlineAt is { } deadline && DateTime.UtcNow >= deadline;

    // Whether a claim could still draw a trial: time left, and the sampler not exhausted within the budget.
    private bool HasMore()
    {
        if (PastDeadline()) return false;
        var trials = store.GetTrials(sweep.Id);
        return Suggest(trials, store.GetRungs(sweep.Id), trials.Count == 0 ? 0 : trials[^1].Number + 1) is not null;
    }

    // Under the store's write lock: the next trial's parameters, or null when the budget or search is spent.
    private string? Suggest(IReadOnlyList<TrialRecord> trials, IReadOnlyList<RungRecord> rungs, int number)
    {
        if (sweep.BudgetTrials is { } budget && trials.Count >= budget) return null;
        var parameters = SweepSampler.Create(_definition).Suggest(SweepTrials.Observe(trials, rungs), number);
        return parameters is null ? null : SweepTrials.ParametersJson(parameters);
    }

    private void RunTrial(TrialRecord trial, IReadOnlyDictionary<string, string> environment)
    {
        using var heartbeat = store.StartTrialHeartbeat(sweep.Id, trial.Number);
        var parameters = SweepTrials.Parameters(trial.ParametersJson);
        var described = string.Join(", ", parameters.Select(p => $"{p.Key}={SweepValue.Format(p.Value)}"));
        Say($"trial {trial.Number}{(trial.Attempts > 1 ? $" (attempt {trial.Attempts})" : "")}: {described}");
        var runs = new List<RunRecord>();
        for (var i = 0; i < _definition.Seeds.Count; i++)
        {
            var seed = _definition.Seeds[i];
            var link = new SweepTrialLink(sweep.Id, trial.Number, Prunes: i == 0);
            // A retried trial keeps a seed's finished run and resumes a killed one from its last checkpoint.
            var previous = trial.RunIds.GetValueOrDefault(seed) is { } previousId ? store.Get(previousId) : null;
            if (previous is { EffectiveStatus: RunStatus.Finished })
            {
                Say($"trial {trial.Number}: seed {seed} keeps its finished run {previous.Id}");
                runs.Add(previous);
                continue;
            }
            var resumed = Resumable(previous);
            List<string> arguments;
            if (resumed is not null)
            {
                Say($"trial {trial.Number}: seed {seed} resumes run {resumed.Id} from its last checkpoint");
                arguments = ["resume", resumed.Id, "--sweep-trial", link.ToString()];
                arguments.AddRange(store.CommandLineArguments());
            }
            else
            {
                arguments = ["run", _definition.SpecPath, "--sweep-trial", link.ToString(),
                    "--name", $"{sweep.Name}-{trial.Number.ToString(CultureInfo.InvariantCulture)}"];
                arguments.AddRange(store.CommandLineArguments());
                foreach (var assignment in _definition.TrialOverrides(parameters, seed).Concat(_threads)) arguments.AddRange(["--set", assignment]);
            }
            var log = Path.Combine(store.RunsDirectory, "sweeps", sweep.Id, $"trial-{trial.Number}-seed-{seed}.log");
            var exit = TrialProcess.Run(arguments, environment, log, cancellation);

            if (cancellation.IsCancellationRequested)
            {
                store.ReleaseTrial(sweep.Id, trial.Number, "interrupted (Ctrl-C); it starts again when the sweep resumes", interrupted: true);
                Say($"trial {trial.Number}: interrupted; it starts again when the sweep resumes");
                return;
            }
            var runId = store.GetTrials(sweep.Id).Single(t => t.Number == trial.Number).RunIds.GetValueOrDefault(seed);
            if (runId is null || (resumed is null && runId == previous?.Id))
            {
                // No run was created: bad input for this trial (exit 2) fails it; a death before the run started is retried.
                var tail = LastLines(log);
                if (exit == ExitCodes.BadInput) End(trial, TrialStatus.Failed, null, null, $"seed {seed}: {tail}");
                else Retry(trial, $"seed {seed}'s process exited with {exit} before its run started: {tail}");
                return;
            }
            var run = store.Get(runId);
            switch (run.EffectiveStatus)
            {
                case RunStatus.Finished:
                    runs.Add(run);
                    continue;
                case RunStatus.Pruned:
                    var step = store.GetRungs(sweep.Id).Where(r => r.TrialNumber == trial.Number).Select(r => (long?)r.Step).Max();
                    End(trial, TrialStatus.Pruned, SweepTrials.Score([run], _definition.Metric.Name), step, run.Error);
                    return;
                case RunStatus.Failed or RunStatus.Diverged:
                    End(trial, TrialStatus.Failed, null, null, $"seed {seed}: run {run.Id} {run.EffectiveStatus.ToName()}: {run.Error}");
                    return;
                default:
                    Retry(trial, $"seed {seed}: run {run.Id} was {run.EffectiveStatus.ToName()} (its process exited with {exit})");
                    return;
            }
        }
        var score = SweepTrials.Score(runs, _definition.Metric.Name);
        if (score is null) End(trial, TrialStatus.Failed, null, null, $"its runs logged no {_definition.Metric.Name}, the sweep's metric");
        else End(trial, TrialStatus.Completed, score, null, null);
    }

    /// <summary>
    /// The killed run of a retried trial's seed that can go on from a checkpoint in its folder on this
    /// machine; null when it has none (or is not here), failed, or still seems to run. A run whose agent
    /// died has stopped (the parent-death signal), but on another machine its heartbeat may take one more
    /// beat than the trial's to go stale, so a run still shown running is given that long.
    /// </summary>
    private RunRecord? Resumable(RunRecord? previous)
    {
        var waited = TimeSpan.Zero;
        while (previous is { EffectiveStatus: RunStatus.Running } && waited < RunStore.HeartbeatTimeout && !cancellation.IsCancellationRequested)
        {
            cancellation.WaitHandle.WaitOne(RunStore.HeartbeatInterval);
            waited += RunStore.HeartbeatInterval;
            previous = store.Get(previous.Id);
        }
        return previous is { EffectiveStatus: RunStatus.Killed } && previous.FolderNotHere() is null
               && new CheckpointStore(previous.RunDir, keep: 1).LatestStep() is not null
            ? previous
            : null;
    }

    private void End(TrialRecord trial, TrialStatus status, double? score, long? prunedStep, string? error)
    {
        if (!store.FinishTrial(sweep.Id, trial.Number, status, score, prunedStep, error))
        {
            Say($"trial {trial.Number}: another process took it over (this one's heartbeat was late); its result here is dropped");
            return;
        }
        var value = score is { } s ? $" {_definition.Metric.Name} {s.ToString("G6", CultureInfo.InvariantCulture)}" : "";
        var where = prunedStep is { } p ? $" at step {p}" : "";
        Say($"trial {trial.Number}: {status.ToName()}{where}{value}{(status == TrialStatus.Failed ? $": {error}" : "")}");
    }

    private void Retry(TrialRecord trial, string reason)
    {
        store.ReleaseTrial(sweep.Id, trial.Number, reason, interrupted: false);
        var now = store.GetTrials(sweep.Id).Single(t => t.Number == trial.Number);
        Say($"trial {trial.Number}: {reason}; " + (now.Status == TrialStatus.Failed ? "no retries left: failed" : "it will be retried"));
    }

    private void Say(string line)
    {
        lock (_console) Console.Error.WriteLine($"sweep {sweep.Id}: {line}");
    }

    // One environment per slot: on a GPU box each slot sees one GPU (CUDA_VISIBLE_DEVICES), in turn; on a
    // CPU box the train threads are split between the slots, unless the spec or the sweep sets them.
    private List<IReadOnlyDictionary<string, string>> SlotEnvironments()
    {
        var spec = SpecLoader.Load(_definition.SpecPath, _definition.Set);
        var sweepsThreads = _definition.Parameters.Any(p => p.Path == "threads");
        var gpus = Cuda.IsAvailable ? Cuda.DeviceCount : 0;
        if (gpus == 0 && spec.Threads is null && !sweepsThreads)
            _threads = [$"threads={Math.Max(1, Environment.ProcessorCount / slots).ToString(CultureInfo.InvariantCulture)}"];
        // The store's password, when it has one, goes in the environment: never in a trial's argv.
        return GpuSlots.Assign(slots, gpus, Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES")).Select(device =>
        {
            var environment = new Dictionary<string, string>(store.ChildEnvironment());
            if (device is not null) environment["CUDA_VISIBLE_DEVICES"] = device;
            return (IReadOnlyDictionary<string, string>)environment;
        }).ToList();
    }

    private static string LastLines(string path)
    {
        var lines = File.Exists(path) ? File.ReadLines(path).Where(l => l.Trim().Length > 0).TakeLast(3).ToList() : [];
        return lines.Count == 0 ? "it printed nothing" : string.Join(" / ", lines.Select(l => l.Trim()));
    }
}
