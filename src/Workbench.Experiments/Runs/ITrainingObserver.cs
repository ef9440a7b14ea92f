// What a running stage tells the outside world (the CLI's progress display, tests): progress and log lines.
namespace Workbench.Experiments.Runs;

/// <summary>One progress update, sent after each logged train step.</summary>
public sealed record TrainingProgress(
    long Step,
    long TotalSteps,
    double Epoch,
    double? TrainLoss,
    string? EvalMetricName,
    double? EvalMetric,
    double? ItemsPerSecond,
    string ItemsUnit);

public interface ITrainingObserver
{
    void OnStart(string runId, string runName, long totalSteps);

    void OnProgress(TrainingProgress progress);

    /// <summary>A human-readable line (evaluation results, checkpoints, warnings).</summary>
    void OnMessage(string message);

    void OnEnd();
}

/// <summary>Discards everything (tests, library use).</summary>
public sealed class SilentObserver : ITrainingObserver
{
    public static readonly SilentObserver Instance = new();

    public void OnStart(string runId, string runName, long totalSteps) { }
    public void OnProgress(TrainingProgress progress) { }
    public void OnMessage(string message) { }
    public void OnEnd() { }
}
