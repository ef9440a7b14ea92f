// Starts, resumes and records runs: checks everything that can be checked before writing anything
// (the spec, the device, the data and whether the spec fits it), creates the run row and folder, seeds,
// hands the work to the spec's stage, then records the summary, the final status and the report.
// Data parallel (--nproc): every rank loads the stage and meets the others before anything is written;
// rank 0 then records the run as above, the other ranks train alongside it in a scratch folder that is
// deleted when they end.
using Workbench.Data;
using Workbench.Experiments.Catalog;
using Workbench.Experiments.Checkpoints;
using Workbench.Experiments.Lineage;
using Workbench.Experiments.Specs;
using Workbench.Experiments.Stages;
using Workbench.Experiments.Sweeps;
using Workbench.Experiments.Training;
using Workbench.Torch;
using Workbench.Torch.Distributed;
using Workbench.Tracking;

namespace Workbench.Experiments.Runs;

public sealed class ExperimentRunner(ITrainingObserver observer, CancellationToken cancellation)
{
    /// <summary>Runs a new experiment from a resolved spec. Throws <see cref="RunSetupException"/> before writing anything on bad input.</summary>
    public RunOutcome Start(ExperimentSpec spec, RunRequest request)
    {
        if (request.NameOverride is { } name) spec = spec with { Name = name };
        if (request.ExtraTags is { Count: > 0 } tags) spec = spec with { Tags = new ValueList<string>([.. spec.Tags, .. tags]) };
        var device = DeviceOf(ResolveDevice(request.DeviceOverride ?? spec.Device), request.Parallel, spec);
        // The run init_from names comes first: a language stage encodes its data with that run's tokenizer.
        // Without one the stage loads before the store opens: data that does not fit creates no database either.
        using var parent = spec.Train.InitFrom is { } reference ? LoadRun(request.Store, reference, device, "train.init_from") : null;
        spec = PinStageRuns(spec, request.Store);
        using var stage = LoadStage(spec, device, parent, request.Store);
        if (parent != null) stage.CheckInitialWeights(parent.Weights);
        using var parallel = request.Parallel is { } launch ? DataParallel.Join(launch, device, SpecJson.ConfigHash(spec)) : null;
        if (parallel is { IsLeader: false }) return Follow(spec, device, stage, resume: null, parent?.Weights, parallel);
        using var store = RunStore.Open(request.Store);
        if (parent != null)
        {
            // The stored spec names the run the weights came from, not the reference that found it
            // ("name@latest" moves on): a rerun starts from the same weights, and the hash tells apart
            // two runs that started from different ones.
            spec = spec with { Train = spec.Train with { InitFrom = parent.Run.Id } };
        }
        var pruning = request.Trial?.CreatePruning(store);
        var git = GitInfo.Capture(Directory.GetCurrentDirectory());
        var run = store.CreateRun(new NewRun
        {
            Name = spec.Name,
            ConfigJson = SpecJson.Canonical(spec),
            ConfigHash = SpecJson.ConfigHash(spec),
            GroupHash = SpecJson.GroupHash(spec, parent?.Run.GroupHash),
            MetricName = spec.Metric.Name,
            MetricGoal = MetricGoals.Parse(spec.Metric.Goal),
            Seed = spec.Seed,
            Device = device.ToString(),
            TorchVersion = Torch.Torch.Version,
            GitCommit = git.Commit,
            GitDirty = git.Dirty,
            Tags = spec.Tags.ToList(),
            Notes = spec.Notes,
            CommandLine = request.CommandLine,
            InitFromId = parent?.Run.Id,
            RerunOfId = request.RerunOf,
        });
        if (request.Trial is { } trial)
        {
            Attach(store, run, trial);
            // A retried trial started over: its earlier attempt's rungs no longer count.
            if (trial.Prunes) store.DropRungsAfter(trial.SweepId, trial.Number, -1);
        }
        AtomicFile.WriteAllText(Path.Combine(run.RunDir, "config.yaml"), SpecYaml.Write(spec));
        if (git.Dirty)
        {
            var diff = Path.Combine(run.RunDir, "git.diff");
            AtomicFile.WriteAllText(diff, git.Diff);
            store.AddArtifact(run.Id, diff, "git-diff");
        }
        return Execute(store, run, spec, device, stage, resume: null, parent?.Weights, pruning, parallel);
    }

    /// <summary>
    /// Continues a killed or failed run from its newest checkpoint, dropping metric points written after it.
    /// With <paramref name="trial"/> (a retried sweep trial's seed) the run is recorded on the trial again,
    /// and a pruning seed drops its rungs after the checkpoint and goes on pruning.
    /// </summary>
    public RunOutcome Resume(StoreLocation location, string reference, ParallelLaunch? launch = null, SweepTrialLink? trial = null)
    {
        using var store = RunStore.Open(location);
        var run = store.Resolve(reference);
        if (run.EffectiveStatus is not (RunStatus.Killed or RunStatus.Failed))
            throw new RunSetupException($"run {run.Id} is {run.EffectiveStatus.ToString().ToLowerInvariant()}: only killed or failed runs can be resumed");
        if (run.FolderNotHere() is { } elsewhere) throw new RunSetupException($"cannot resume: {elsewhere}");
        var spec = SpecLoader.FromJson(run.ConfigJson);
        var device = DeviceOf(ResolveDevice(run.Device), launch, spec);
        var folder = new CheckpointStore(run.RunDir, spec.Train.Checkpoint.Keep).LatestStep()
            ?? throw new RunSetupException($"run {run.Id} has no checkpoint to resume from; rerun it instead (workbench rerun {run.Id})");
        using var checkpoint = CheckpointStore.Load(folder, device);
        using var parent = spec.Train.InitFrom is { } pinned ? TrainedModel.Load(store, pinned, device, "train.init_from") : null;
        using var stage = LoadStage(spec, device, parent, location);
        using var parallel = launch != null ? DataParallel.Join(launch, device, run.ConfigHash) : null;
        if (parallel is { IsLeader: false }) return Follow(spec, device, stage, checkpoint, initialWeights: null, parallel);
        // Claim the run before touching its metrics: a second resume started meanwhile must not delete
        // the points the first one is writing.
        if (!store.TryReopen(run.Id))
            throw new RunSetupException($"run {run.Id} is {store.Get(run.Id).EffectiveStatus.ToString().ToLowerInvariant()} (another process resumed it first)");
        ITrialPruning? pruning = null;
        if (trial != null)
        {
            Attach(store, run, trial);
            if (trial.Prunes) store.DropRungsAfter(trial.SweepId, trial.Number, checkpoint.State.Step);
            pruning = trial.CreatePruning(store);
        }
        store.DeleteMetricsAfter(run.Id, checkpoint.State.Step);
        observer.OnMessage($"resuming {run.Id} from step {checkpoint.State.Step}");
        return Execute(store, store.Get(run.Id), spec, device, stage, checkpoint, initialWeights: null, pruning, parallel);
    }

    /// <summary>
    /// A data-parallel run's device: CUDA device LocalRank on a GPU box (one GPU per rank). A spec this
    /// world size cannot split is bad input.
    /// </summary>
    private static Device DeviceOf(Device device, ParallelLaunch? launch, ExperimentSpec spec)
    {
        if (launch is null) return device;
        DataParallel.CheckSpec(spec, launch.WorldSize);
        if (!device.IsCuda) return device;
        if (launch.LocalRank >= Cuda.DeviceCount)
            throw new RunSetupException($"rank {launch.Rank} needs CUDA device {launch.LocalRank}, but this machine has {Cuda.DeviceCount}: use --nproc {Cuda.DeviceCount} or fewer");
        return Device.Cuda(launch.LocalRank);
    }

    /// <summary>
    /// A rank other than 0 trains alongside rank 0 with a run of its own in a scratch folder (its metrics and
    /// samples go nowhere a user looks), which is deleted when it ends.
    /// </summary>
    private RunOutcome Follow(ExperimentSpec spec, Device device, IStage stage, Checkpoint? resume,
        IReadOnlyDictionary<string, Tensor>? initialWeights, DataParallel parallel)
    {
        var scratch = Directory.CreateTempSubdirectory("workbench-rank-");
        try
        {
            RunOutcome outcome;
            using (var store = RunStore.Open(Path.Combine(scratch.FullName, "workbench.db")))
            {
                var run = store.CreateRun(new NewRun
                {
                    Name = spec.Name,
                    ConfigJson = SpecJson.Canonical(spec),
                    ConfigHash = SpecJson.ConfigHash(spec),
                    GroupHash = SpecJson.ConfigHash(spec),
                    MetricName = spec.Metric.Name,
                    MetricGoal = MetricGoals.Parse(spec.Metric.Goal),
                    Seed = spec.Seed,
                    Device = device.ToString(),
                    Tags = [],
                    Notes = "",
                    CommandLine = $"rank {parallel.Rank}",
                });
                outcome = Execute(store, run, spec, device, stage, resume, initialWeights, pruning: null, parallel);
            }
            return outcome with { RunId = "", ReportPath = null };
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private RunOutcome Execute(RunStore store, RunRecord run, ExperimentSpec spec, Device device, IStage stage, Checkpoint? resume,
        IReadOnlyDictionary<string, Tensor>? initialWeights, ITrialPruning? pruning, DataParallel? parallel)
    {
        Torch.Torch.ManualSeed(spec.Seed);
        if (device.IsCuda) Cuda.ResetPeakMemory(Math.Max(0, device.Index));
        using var heartbeat = store.StartHeartbeat(run.Id);
        var summary = new RunSummary();
        if (resume != null) ReplaySummary(store, run.Id, summary);
        StageResult result;
        using (var metrics = store.OpenMetricWriter(run.Id))
        {
            var context = new StageContext
            {
                Spec = spec,
                Run = run,
                Store = store,
                Metrics = metrics,
                Checkpoints = new CheckpointStore(run.RunDir, spec.Train.Checkpoint.Keep) { BeforeSave = metrics.Flush },
                Summary = summary,
                Observer = observer,
                Device = device,
                Cancellation = cancellation,
                ResumeFrom = resume,
                InitialWeights = initialWeights,
                Pruning = pruning,
                Parallel = parallel,
            };
            if (parallel is { IsLeader: true }) RecordParallel(store, run, parallel, resume?.State.Step ?? 0);
            try
            {
                result = stage.Run(context);
            }
            catch (Exception e) when (e is TorchException or DataException or CheckpointException or IOException or ArgumentException or InvalidOperationException)
            {
                result = new StageResult(RunStatus.Failed, e.Message);
            }
        }
        summary.Set("peak_mem_mb", PeakMemoryMb(device));
        store.Finish(run.Id, result.Status, summary.ToDictionary(), result.Error);
        if (result.Error != null) observer.OnMessage($"{result.Status.ToString().ToLowerInvariant()}: {result.Error}");
        var report = parallel is { IsLeader: false } ? null : RunReports.WriteForRun(store, store.Get(run.Id), spec.Baseline);
        return new RunOutcome(run.Id, result.Status, result.Error, report);
    }

    /// <summary>Records the run as its trial's run for this seed; a trial reclaimed meanwhile fails the run before it trains.</summary>
    private static void Attach(RunStore store, RunRecord run, SweepTrialLink trial)
    {
        try
        {
            store.AttachTrialRun(trial.SweepId, trial.Number, run.Seed, run.Id);
        }
        catch (RunStoreException e)
        {
            store.Finish(run.Id, RunStatus.Failed, null, e.Message);
            throw;
        }
    }

    /// <summary>
    /// The spec's stage with its data loaded, before anything is written: a missing, empty or unreadable data
    /// file or a spec too large for the data is bad input (RunSetupException); a fetch from the registry that
    /// fails is not, and leaves as the DataException it is.
    /// </summary>
    private IStage LoadStage(ExperimentSpec spec, Device device, TrainedModel? parent, StoreLocation location)
    {
        Torch.Torch.Threads = spec.Threads ?? Torch.Torch.DefaultThreads;
        var cache = DataCache.Default();
        try
        {
            var load = StageTable.Get(spec.Train.Stage).Load
                ?? throw new RunSetupException($"train.stage '{spec.Train.Stage}' is not built yet");
            return load(spec, new StageSetup(cache, device, observer.OnMessage, parent, (reference, use) => LoadRun(location, reference, device, use)));
        }
        catch (DataException e) when (!e.IsFetchFailure)
        {
            // The user's data or the spec's fit to it: bad input. A failed fetch stays a DataException (exit 1).
            throw new RunSetupException(e.Message);
        }
    }

    /// <summary>
    /// parallel.json in the run's folder: the world size, backend, nodes and hosts, and each rank's seed
    /// (what `show` prints); the latest launch's, when a resume changed the world size.
    /// </summary>
    private static void RecordParallel(RunStore store, RunRecord run, DataParallel parallel, long step)
    {
        var record = new ParallelRecord(parallel.WorldSize, parallel.Backend.Name(), parallel.Launch.Nodes, parallel.Hosts,
            Enumerable.Range(0, parallel.WorldSize).Select(r => DataParallel.RankSeed(run.Seed, r, step)).ToList(), step);
        var path = Path.Combine(run.RunDir, ParallelRecord.FileName);
        AtomicFile.WriteAllText(path, record.ToJson());
        store.AddArtifact(run.Id, path, ParallelRecord.FileName);
    }

    /// <summary>auto picks CUDA when present; asking for CUDA on a machine without it is bad input.</summary>
    public static Device ResolveDevice(string requested)
    {
        if (requested == "auto") return Cuda.IsAvailable ? Device.Cuda(0) : Device.Cpu;
        if (!Device.TryParse(requested, out var device))
            throw new RunSetupException($"device '{requested}' is not one of auto, cpu, cuda, cuda:N");
        if (device.IsCuda && device.Index >= Cuda.DeviceCount)
            throw new RunSetupException(Cuda.DeviceCount == 0
                ? $"device {device} was asked for, but this machine has no CUDA device (libtorch {Torch.Torch.Version}); use --device cpu or auto"
                : $"device {device} was asked for, but this machine has {Cuda.DeviceCount} CUDA device(s)");
        return device;
    }

    /// <summary>The run a key (<paramref name="use"/>: train.init_from, a reward model) names; with no run store there is no run to name.</summary>
    private static TrainedModel LoadRun(StoreLocation location, string reference, Device device, string use)
    {
        if (!location.Exists)
            throw new RunSetupException($"{use}: no run '{reference}': there is no run store at {location.Database} yet");
        using var store = RunStore.Open(location);
        return TrainedModel.Load(store, reference, device, use);
    }

    /// <summary>
    /// The spec with the run references of its stage keys (PPO's reward_model) pinned to run ids, as train.init_from
    /// is once loaded; a reference that names no run is a RunSetupException naming the key.
    /// </summary>
    internal static ExperimentSpec PinStageRuns(ExperimentSpec spec, StoreLocation location)
    {
        if (spec.Train.Settings is not { } settings) return spec;
        var pinned = settings.PinRuns((reference, use) =>
        {
            if (!location.Exists)
                throw new RunSetupException($"{use}: no run '{reference}': there is no run store at {location.Database} yet");
            using var store = RunStore.Open(location);
            try { return store.Resolve(reference).Id; }
            catch (RunStoreException e) { throw new RunSetupException($"{use}: {e.Message}"); }
        });
        return ReferenceEquals(pinned, settings) ? spec : spec with { Train = spec.Train with { Settings = pinned } };
    }

    /// <summary>After a resume, the summary's best/ values must include the points kept from before.</summary>
    private static void ReplaySummary(RunStore store, string runId, RunSummary summary)
    {
        foreach (var (key, series) in store.GetMetrics(runId))
            for (var i = 0; i < series.Values.Length; i++) summary.Observe(key, series.Values[i]);
    }

    private static double PeakMemoryMb(Device device)
    {
        if (device.IsCuda) return Cuda.Memory(Math.Max(0, device.Index)).Peak / (1024.0 * 1024.0);
        // VmHWM: the process's peak resident set, in kB.
        var line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
        return line != null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kb) ? kb / 1024.0 : 0;
    }
}
