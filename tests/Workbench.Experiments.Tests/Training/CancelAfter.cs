// An observer that presses Ctrl-C once progress reaches a step: an interruption at a known place.
using Workbench.Experiments.Runs;

namespace Workbench.Experiments.Tests.Training;

internal sealed class CancelAfter(long step, CancellationTokenSource interrupt) : ITrainingObserver
{
    public void OnStart(string runId, string runName, long totalSteps) { }

    public void OnProgress(TrainingProgress progress)
    {
        if (progress.Step >= step) interrupt.Cancel();
    }

    public void OnMessage(string message) { }

    public void OnEnd() { }
}
