// What every stage gets from the runner: the spec, the run, where to log, checkpoint and report progress.
using Workbench.Experiments.Checkpoints;
using Workbench.Experiments.Runs;
using Workbench.Experiments.Specs;
using Workbench.Torch;
using Workbench.Torch.Nn;
using Workbench.Tracking;

namespace Workbench.Experiments.Stages;

public sealed class StageContext
{
    public required ExperimentSpec Spec { get; init; }
    public required RunRecord Run { get; init; }
    public required RunStore Store { get; init; }
    public required MetricWriter Metrics { get; init; }
    public required CheckpointStore Checkpoints { get; init; }
    public required RunSummary Summary { get; init; }
    public required ITrainingObserver Observer { get; init; }
    public required Device Device { get; init; }

    /// <summary>Set by Ctrl-C: the training loop finishes its step, checkpoints and returns Killed.</summary>
    public required CancellationToken Cancellation { get; init; }

    /// <summary>The checkpoint to continue from (resume), or null for a fresh start.</summary>
    public Checkpoint? ResumeFrom { get; init; }

    /// <summary>Weights to start from (init_from): a model state dict, or null.</summary>
    public IReadOnlyDictionary<string, Tensor>? InitialWeights { get; init; }

    /// <summary>For a sweep trial's run: the rule that may stop it early at a rung; null for other runs.</summary>
    public Training.ITrialPruning? Pruning { get; init; }

    /// <summary>The ranks this process trains with (workbench run --nproc), or null for a single process.</summary>
    public Training.DataParallel? Parallel { get; init; }

    /// <summary>Whether this process writes the run's checkpoints and samples: a single process, or rank 0.</summary>
    public bool Writes => Parallel is null || Parallel.IsLeader;

    /// <summary>The spec's precision as an autocast region around a forward pass (null for fp32).</summary>
    public Autocast? MixedPrecision() => Stages.MixedPrecision.Region(Spec.Precision, Device);

    /// <summary>Logs one metric point and feeds the summary.</summary>
    public void Log(string key, long step, double value)
    {
        Metrics.Log(key, step, value);
        Summary.Observe(key, value);
    }

    /// <summary>Records which data the run trains on: the dataset's content hash (and, for language models, the tokenizer's).</summary>
    public void RecordData(string contentHash, string? tokenizerHash = null)
    {
        var hashes = new Dictionary<string, string> { [Spec.Data.Dataset] = contentHash };
        if (tokenizerHash != null) hashes["tokenizer"] = tokenizerHash;
        Store.SetDatasetHashes(Run.Id, hashes);
    }
}

/// <summary>How a stage ended.</summary>
public sealed record StageResult(RunStatus Status, string? Error = null);

/// <summary>
/// A stage with its data already loaded and checked against the spec: the runner loads it before the run
/// exists, so a data file or a size that does not fit writes nothing. Disposing frees the data.
/// </summary>
public interface IStage : IDisposable
{
    StageResult Run(StageContext context);

    /// <summary>
    /// Refuses (RunSetupException) weights that do not fit the model this stage would build, so a
    /// train.init_from of another architecture is bad input before the run exists, not a failed run.
    /// </summary>
    void CheckInitialWeights(IReadOnlyDictionary<string, Tensor> weights);
}

internal static class InitialWeights
{
    // Builds a throwaway model and loads the weights into it. Its initialisation draws from the global
    // generator, which the runner seeds afterwards, so the run itself is unaffected.
    public static void Check(Func<Layer> create, IReadOnlyDictionary<string, Tensor> weights)
    {
        using var model = create();
        try
        {
            model.LoadStateDict(weights);
        }
        catch (ArgumentException e)
        {
            throw new RunSetupException($"train.init_from: those weights do not fit this spec's model: {e.Message}");
        }
    }
}

internal static class StageChecks
{
    /// <summary>Refuses a batch larger than the training set: "train.batch_size 64 is larger than the 40 training pairs".</summary>
    public static void BatchFits(TrainSpec train, int count, string items)
    {
        if (count < train.BatchSize)
            throw new RunSetupException($"train.batch_size {train.BatchSize} is larger than the {count} training {items}");
    }
}
