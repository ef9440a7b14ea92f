// The reward model's Bradley-Terry loss, as TRL's RewardTrainer computes it: the chosen answer should outscore the
// rejected one, -log sigmoid(r_chosen - r_rejected - margin) averaged over the pairs, plus an optional penalty
// coef * mean((r_chosen + r_rejected)^2) that keeps the rewards centred on 0 (the loss only sees differences).
using Workbench.Torch;

namespace Workbench.Models.PostTraining;

/// <param name="Loss">() the mean loss over the pairs, with its gradient.</param>
/// <param name="Accuracy">() the fraction of pairs whose chosen reward is the higher (a tie counts as wrong).</param>
/// <param name="Margin">() mean r_chosen - r_rejected.</param>
/// <param name="MeanReward">() mean of the chosen and rejected rewards together; MinReward and MaxReward likewise.</param>
public sealed record RewardLoss(Tensor Loss, Tensor Accuracy, Tensor Margin, Tensor MeanReward, Tensor MinReward, Tensor MaxReward)
    : ILossWithMetrics
{
    /// <summary>The metrics' keys, in <see cref="Metrics"/>' order.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["accuracy", "margin", "mean_reward", "min_reward", "max_reward"];

    public IReadOnlyList<(string Key, Tensor Value)> Metrics =>
        Keys.Zip([Accuracy, Margin, MeanReward, MinReward, MaxReward]).ToList();

    /// <param name="chosen">(B) rewards of the chosen answers.</param>
    /// <param name="rejected">(B) rewards of the rejected answers to the same prompts.</param>
    /// <param name="margin">(B) how far each chosen answer should lead (its rating gap), or null for none.</param>
    /// <param name="centerCoefficient">Weight of the centring penalty; 0 leaves it out.</param>
    public static RewardLoss Compute(Tensor chosen, Tensor rejected, Tensor? margin = null, double centerCoefficient = 0)
    {
        if (chosen.Dim != 1 || !rejected.Shape.SequenceEqual(chosen.Shape) || (margin != null && !margin.Shape.SequenceEqual(chosen.Shape)))
            throw new ArgumentException($"the reward loss needs chosen, rejected (and margin) rewards of one shape (B); got chosen " +
                                        $"[{string.Join(", ", chosen.Shape)}], rejected [{string.Join(", ", rejected.Shape)}]" +
                                        (margin is null ? "" : $", margin [{string.Join(", ", margin.Shape)}]"));
        var difference = chosen - rejected;                                              // (B)
        var loss = -(margin is null ? difference : difference - margin).LogSigmoid().Mean();
        if (centerCoefficient != 0) loss = loss + centerCoefficient * (chosen + rejected).Square().Mean();
        using var noGrad = new NoGrad();
        var both = Tensor.Cat([chosen, rejected]);                                       // (2B)
        return new RewardLoss(loss, chosen.Gt(rejected).To(ScalarType.Float32).Mean(), difference.Mean(), both.Mean(), both.Min(), both.Max());
    }
}
