// Runs a pipeline: for each seed the whole chain, stage by stage, each stage's spec pinned to the runs
// the stages before it produced for that seed. What did not change is not run again: a stage whose
// spec (inputs pinned to run ids, so the hash covers them) hashes like a finished run of its name is
// that run; a killed or failed one is resumed from its checkpoint, so the same command picks up where
// an interrupted one stopped. The pipeline stops at the first stage that does not finish.
using Workbench.Experiments.Checkpoints;
using Workbench.Experiments.Runs;
using Workbench.Experiments.Specs;
using Workbench.Tracking;

namespace Workbench.Experiments.Pipelines;

/// <summary>One stage of one chain: the stage, the chain's seed (null: the stage spec's own) and its run.</summary>
public sealed record StageOutcome(string Stage, long? Seed, RunOutcome Run);

/// <summary>Every stage run in order (chain by chain), how the last one ended, and the pipeline report.</summary>
public sealed record PipelineOutcome(IReadOnlyList<StageOutcome> Stages, RunStatus Status, string? ReportPath);

public sealed class PipelineRunner(ITrainingObserver observer, CancellationToken cancellation)
{
    /// <summary>
    /// Runs <paramref name="pipeline"/>, calling <paramref name="onStage"/> as each stage's run is known.
    /// Throws <see cref="RunSetupException"/> when a stage is refused before its run exists.
    /// </summary>
    public PipelineOutcome Run(PipelineSpec pipeline, RunRequest request, Action<StageOutcome>? onStage = null)
    {
        var runner = new ExperimentRunner(observer, cancellation);
        var tagged = request with { ExtraTags = [.. request.ExtraTags ?? [], pipeline.Tag] };
        var outcomes = new List<StageOutcome>();
        var status = RunStatus.Finished;
        foreach (var seed in pipeline.Chains)
        {
            var runIds = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var stage in pipeline.Stages)
            {
                var spec = PinExternalRun(stage.Resolve(seed, runIds), stage, request.Store);
                var outcome = new StageOutcome(stage.Name, seed, RunStage(runner, stage, spec, tagged));
                outcomes.Add(outcome);
                onStage?.Invoke(outcome);
                status = outcome.Run.Status;
                if (status != RunStatus.Finished) return Finish(pipeline, outcomes, status, request.Store);
                runIds[stage.Name] = outcome.Run.RunId;
            }
        }
        return Finish(pipeline, outcomes, status, request.Store);
    }

    private RunOutcome RunStage(ExperimentRunner runner, PipelineStage stage, ExperimentSpec spec, RunRequest request)
    {
        var hash = SpecJson.ConfigHash(spec);
        var earlier = Earlier(request.Store, stage.RunName, hash);
        var label = $"stage {stage.Name} (seed {spec.Seed})";
        if (earlier.FirstOrDefault(r => r.EffectiveStatus is RunStatus.Finished or RunStatus.Diverged) is { } done)
        {
            // The same spec from the same inputs: training it again would give the same run (a diverged one too).
            observer.OnMessage($"{label}: run {done.Id} is {done.EffectiveStatus.ToName()} with the same spec and inputs; not run again");
            return new RunOutcome(done.Id, done.EffectiveStatus, done.Error, Path.Combine(done.RunDir, "report.html"));
        }
        if (earlier.FirstOrDefault(r => r.EffectiveStatus == RunStatus.Running) is { } running)
            throw new RunSetupException($"{label}: run {running.Id} with the same spec is running (pid {running.Process?.Pid}); " +
                                       "wait for it to end, then run the pipeline again");
        if (earlier.FirstOrDefault(HasCheckpoint) is { } stopped)
        {
            observer.OnMessage($"{label}: resuming {stopped.EffectiveStatus.ToName()} run {stopped.Id}");
            return runner.Resume(request.Store, stopped.Id);
        }
        observer.OnMessage($"{label}: starting {stage.RunName}");
        return runner.Start(spec, request);
    }

    /// <summary>Runs of this name and config hash, newest first; none when there is no run store yet (nothing is created).</summary>
    private static List<RunRecord> Earlier(StoreLocation location, string name, string configHash)
    {
        if (!location.Exists) return [];
        using var store = RunStore.Open(location);
        // The name holds only letters, digits, `-` and `_`, so as a glob it matches itself alone.
        return store.List(nameGlob: name).Where(r => r.ConfigHash == configHash).ToList();
    }

    private static bool HasCheckpoint(RunRecord run) =>
        run.EffectiveStatus is RunStatus.Killed or RunStatus.Failed
        && new CheckpointStore(run.RunDir, 1).LatestStep() is not null;

    /// <summary>
    /// A stage that reads a run outside the pipeline (`init_from: base@best`, a reward_model) is pinned to that
    /// run's id before hashing, as the stored spec will be: otherwise no stored run would ever hash the same.
    /// </summary>
    private static ExperimentSpec PinExternalRun(ExperimentSpec spec, PipelineStage stage, StoreLocation location)
    {
        if (!location.Exists) return spec;
        try
        {
            spec = ExperimentRunner.PinStageRuns(spec, location);
        }
        catch (RunSetupException)
        {
            return spec; // ExperimentRunner.Start refuses it with the reason
        }
        if (spec.Train.InitFrom is not { } reference || stage.InitFromStage is not null) return spec;
        using var store = RunStore.Open(location);
        try
        {
            return spec with { Train = spec.Train with { InitFrom = store.Resolve(reference).Id } };
        }
        catch (RunStoreException)
        {
            return spec; // ExperimentRunner.Start refuses it with the reason
        }
    }

    private static PipelineOutcome Finish(PipelineSpec pipeline, List<StageOutcome> outcomes, RunStatus status, StoreLocation location)
    {
        var report = outcomes.Count == 0 ? null : PipelineReport.Write(location, pipeline, outcomes);
        return new PipelineOutcome(outcomes, status, report);
    }
}
