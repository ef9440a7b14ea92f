// train.reward: the reward model's keys (TRL's RewardTrainer: a margin per pair, reward centring).
namespace Workbench.Experiments.Specs;

/// <param name="Margin">How far the chosen reward must beat the rejected one before the loss stops pushing (0: plain Bradley-Terry).</param>
/// <param name="CenterCoefficient">Weight of mean((r_chosen + r_rejected)^2), which keeps the rewards centred on 0 (0: off).</param>
public sealed record RewardSpec(double Margin, double CenterCoefficient) : StageSpec
{
    public static readonly IReadOnlyList<string> Keys = ["margin", "center_coefficient"];

    internal static StageSpec Read(SpecSection reward) =>
        new RewardSpec(reward.Number("margin", 0.0, Bound.NonNegative), reward.Number("center_coefficient", 0.0, Bound.NonNegative));

    internal override void Write(Mapping map)
    {
        map.Add("margin", Margin);
        map.Add("center_coefficient", CenterCoefficient);
    }
}
