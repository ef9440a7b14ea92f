// Starts, resumes and records runs: checks everything that can be checked before writing anything
// (the spec, the device, the data and whether the spec fits it), creates the run row and folder, seeds,
// hands the work to the spec's stage, then records the summary, the final status and the report.
using Workbench.Data;
using Workbench.Experiments.Catalog;
using Workbench.Experiments.Checkpoints;
using Workbench.Experiments.Lineage;
using Workbench.Experiments.Specs;
using Workbench.Experiments.Stages;
using Workbench.Torch;
using Workbench.Tracking;

namespace Workbench.Experiments.Runs;

public sealed class ExperimentRunner(ITrainingObserver observer, CancellationToken cancellation)
{
    /// <summary>Runs a new experiment from a resolved spec. Throws <see cref="RunSetupException"/> before writing anything on bad input.</summary>
    public RunOutcome Start(ExperimentSpec spec, RunRequest request)
    {
        if (request.NameOverride is { } name) spec = spec with { Name = name };
        if (request.ExtraTags is { Count: > 0 } tags) spec = spec with { Tags = new ValueList<string>([.. spec.Tags, .. tags]) };
        var device = ResolveDevice(request.DeviceOverride ?? spec.Device);
        // The run init_from names comes first: a language stage encodes its data with that run's tokenizer.
        // Without one the stage loads before the store opens: data that does not fit creates no database either.
        using var parent = spec.Train.InitFrom is { } reference ? LoadRun(request.DatabasePath, reference, device, "train.init_from") : null;
        spec = PinStageRuns(spec, request.DatabasePath);
        using var stage = LoadStage(spec, device, parent, request.DatabasePath);
        using var store = RunStore.Open(request.DatabasePath);
        if (parent != null)
        {
            stage.CheckInitialWeights(parent.Weights);
            // The stored spec names the run the weights came from, not the reference that found it
            // ("name@latest" moves on): a rerun starts from the same weights, and the hash tells apart
            // two runs that started from different ones.
            spec = spec with { Train = spec.Train with { InitFrom = parent.Run.Id } };
        }
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
        AtomicFile.WriteAllText(Path.Combine(run.RunDir, "config.yaml"), SpecYaml.Write(spec));
        if (git.Dirty)
        {
            var diff = Path.Combine(run.RunDir, "git.diff");
            AtomicFile.WriteAllText(diff, git.Diff);
            store.AddArtifact(run.Id, diff, "git-diff");
        }
        return Execute(store, run, spec, device, stage, resume: null, parent?.Weights);
    }

    /// <summary>Continues a killed or failed run from its newest checkpoint, dropping metric points written after it.</summary>
    public RunOutcome Resume(string databasePath, string reference)
    {
        using var store = RunStore.Open(databasePath);
        var run = store.Resolve(reference);
        if (run.EffectiveStatus is not (RunStatus.Killed or RunStatus.Failed))
            throw new RunSetupException($"run {run.Id} is {run.EffectiveStatus.ToString().ToLowerInvariant()}: only killed or failed runs can be resumed");
        var spec = SpecLoader.FromJson(run.ConfigJson);
        var device = ResolveDevice(run.Device);
        var folder = new CheckpointStore(run.RunDir, spec.Train.Checkpoint.Keep).LatestStep()
            ?? throw new RunSetupException($"run {run.Id} has no checkpoint to resume from; rerun it instead (workbench rerun {run.Id})");
        using var checkpoint = CheckpointStore.Load(folder, device);
        using var parent = spec.Train.InitFrom is { } pinned ? TrainedModel.Load(store, pinned, device, "train.init_from") : null;
        using var stage = LoadStage(spec, device, parent, databasePath);
        // Claim the run before touching its metrics: a second resume started meanwhile must not delete
        // the points the first one is writing.
        if (!store.TryReopen(run.Id))
            throw new RunSetupException($"run {run.Id} is {store.Get(run.Id).EffectiveStatus.ToString().ToLowerInvariant()} (another process resumed it first)");
        store.DeleteMetricsAfter(run.Id, checkpoint.State.Step);
        observer.OnMessage($"resuming {run.Id} from step {checkpoint.State.Step}");
        return Execute(store, store.Get(run.Id), spec, device, stage, checkpoint, initialWeights: null);
    }

    private RunOutcome Execute(RunStore store, RunRecord run, ExperimentSpec spec, Device device, IStage stage, Checkpoint? resume,
        IReadOnlyDictionary<string, Tensor>? initialWeights)
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
            };
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
        var report = RunReports.WriteForRun(store, store.Get(run.Id), spec.Baseline);
        return new RunOutcome(run.Id, result.Status, result.Error, report);
    }

    /// <summary>
    /// The spec's stage with its data loaded, before anything is written: a missing, empty or unreadable data
    /// file or a spec too large for the data is bad input (RunSetupException); a fetch from the registry that
    /// fails is not, and leaves as the DataException it is.
    /// </summary>
    private IStage LoadStage(ExperimentSpec spec, Device device, TrainedModel? parent, string databasePath)
    {
        Torch.Torch.Threads = spec.Threads ?? Torch.Torch.DefaultThreads;
        var cache = DataCache.Default();
        try
        {
            var load = StageTable.Get(spec.Train.Stage).Load
                ?? throw new RunSetupException($"train.stage '{spec.Train.Stage}' is not built yet");
            return load(spec, new StageSetup(cache, device, observer.OnMessage, parent, (reference, use) => LoadRun(databasePath, reference, device, use)));
        }
        catch (DataException e) when (!e.IsFetchFailure)
        {
            // The user's data or the spec's fit to it: bad input. A failed fetch stays a DataException (exit 1).
            throw new RunSetupException(e.Message);
        }
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
    private static TrainedModel LoadRun(string databasePath, string reference, Device device, string use)
    {
        if (!File.Exists(databasePath))
            throw new RunSetupException($"{use}: no run '{reference}': there is no run store at {databasePath} yet");
        using var store = RunStore.Open(databasePath);
        return TrainedModel.Load(store, reference, device, use);
    }

    /// <summary>
    /// The spec with the run references of its stage keys (PPO's reward_model) pinned to run ids, as train.init_from
    /// is once loaded; a reference that names no run is a RunSetupException naming the key.
    /// </summary>
    internal static ExperimentSpec PinStageRuns(ExperimentSpec spec, string databasePath)
    {
        if (spec.Train.Settings is not { } settings) return spec;
        var pinned = settings.PinRuns((reference, use) =>
        {
            if (!File.Exists(databasePath))
                throw new RunSetupException($"{use}: no run '{reference}': there is no run store at {databasePath} yet");
            using var store = RunStore.Open(databasePath);
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
