// A trial's side of early termination: at each rung it stores its metric and asks SweepPruning, which
// compares it with what the other trials stored there, so no controller process is needed.
using Workbench.Experiments.Training;
using Workbench.Tracking;

namespace Workbench.Experiments.Sweeps;

internal sealed class TrialPruner(RunStore store, SweepTrialLink trial, EarlyTerminate rule, MetricGoal goal) : ITrialPruning
{
    // ASHA's rungs: min_steps * reduction_factor^k, every one a trial could reach.
    private readonly HashSet<long> _rungs = [.. SweepPruning.RungSteps(rule, long.MaxValue)];

    public bool EvaluatesAt(long step) => _rungs.Contains(step);

    public bool ShouldStop(long step, double value)
    {
        // ASHA compares at its rungs only; median at every evaluation from min_steps on.
        if (rule.Type == PruningRule.Asha ? !_rungs.Contains(step) : step < rule.MinSteps) return false;
        store.ReportRung(trial.SweepId, trial.Number, step, value);
        var trials = SweepTrials.Observe(store.GetTrials(trial.SweepId), store.GetRungs(trial.SweepId));
        return SweepPruning.ShouldPrune(rule, trials, trial.Number, step, value, goal);
    }
}
