// How a sweep stops one of its trials early from inside the training loop: the loop evaluates at the
// rule's rung steps too, and after each evaluation of the spec's metric asks whether to go on.
namespace Workbench.Experiments.Training;

public interface ITrialPruning
{
    /// <summary>Whether the loop must evaluate at <paramref name="step"/> even off the eval cadence (an ASHA rung).</summary>
    bool EvaluatesAt(long step);

    /// <summary>
    /// Reports the metric's value at an evaluated step (to the store, where other trials compare with it)
    /// and says whether this trial stops here.
    /// </summary>
    bool ShouldStop(long step, double value);
}
