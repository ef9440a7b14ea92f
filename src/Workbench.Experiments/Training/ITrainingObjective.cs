// What a stage gives the training loop (TrainingLoop.cs says how the loop uses it): a step, an
// evaluation, what is measured after training, and what the run trains and checkpoints.
namespace Workbench.Experiments.Training;

/// <summary>What a stage trains: the loop drives it, a stage supplies it.</summary>
public interface ITrainingObjective
{
    /// <summary>What checkpoints hold and the learning rate schedule drives.</summary>
    TrainedModules Trained { get; }

    /// <summary>What one step consumes, for throughput, epoch and mfu.</summary>
    TrainingItems Items { get; }

    long TotalSteps { get; }

    /// <summary>
    /// Takes step <paramref name="step"/> (0-based): forward, backward and optimizer step(s), gradients
    /// zeroed after. When <paramref name="logging"/>, the result is logged: measure the gradient norm then.
    /// </summary>
    StepResult Step(long step, bool logging);

    /// <summary>Evaluates after step <paramref name="step"/> (1-based count of steps taken); draws nothing from the training RNG.</summary>
    Evaluation Evaluate(long step);

    /// <summary>Measures what is measured once after the last step, before the final checkpoint.</summary>
    void Finish(long step);

    /// <summary>
    /// Whether a fresh run also evaluates before its first step (logged at step 0): a stage that starts from
    /// another run's model then reports where that model stood, on the same measures, so the two compare.
    /// </summary>
    bool EvaluatesAtStart => false;

    /// <summary>
    /// Loads the weights train.init_from names into a fresh run's model: as they are by default; a stage whose
    /// model wraps the one it starts from (the reward model's trunk) says where they go.
    /// </summary>
    void Initialize(IReadOnlyDictionary<string, Workbench.Torch.Tensor> weights) => Trained.Model.LoadStateDict(weights);
}

/// <summary>
/// A step's mean loss, its gradient norm before clipping (NaN when not measured) and any other named
/// values it logs (the last step's value, not a mean: only the loss's running mean is checkpointed).
/// <paramref name="Diverged"/> says why the run must stop as diverged after this step (a KL past its
/// limit); its metrics are logged first, and the last good checkpoint is kept.
/// </summary>
public sealed record StepResult(double Loss, double GradNorm, IReadOnlyList<(string Name, double Value)> Metrics, string? Diverged = null);

/// <summary>An evaluation's named metrics and the line the user sees after "step N: " (null for none).</summary>
public sealed record Evaluation(IReadOnlyList<(string Name, double Value)> Metrics, string? Message)
{
    public static readonly Evaluation Nothing = new([], null);
}
