// train.ppo: PPO's keys, as TRL's PPOConfig names them, and where the reward comes from.
namespace Workbench.Experiments.Specs;

/// <param name="RewardModel">
/// A reward run (a run reference, or `{stage: reward}` in a pipeline) that scores each completion; null: the task
/// checkers score it (1 right, 0 wrong). The value model starts from it (TRL's choice), else from the policy's weights.
/// </param>
/// <param name="KlCoef">Weight of the per-token KL penalty to the reference (the init_from run).</param>
/// <param name="KlEstimator">k1 (log ratio) or k3 (never negative).</param>
/// <param name="Gamma">GAE's discount per token.</param>
/// <param name="Lam">GAE's lambda.</param>
/// <param name="ClipRange">The policy ratio's clip, epsilon.</param>
/// <param name="ClipRangeValue">How far a value may move from its rollout estimate before its loss is clipped.</param>
/// <param name="VfCoef">Weight of the value loss.</param>
/// <param name="NumPpoEpochs">Passes over each rollout.</param>
/// <param name="NumMiniBatches">Updates per pass: the rollout's batch_size completions split into this many minibatches.</param>
/// <param name="WhitenRewards">Whiten the per-token rewards before GAE.</param>
/// <param name="MissingEosPenalty">Subtracted from the score of a completion that never emits end of turn; null: none.</param>
/// <param name="ResponseLength">Most tokens a completion may have, end of turn included.</param>
/// <param name="Temperature">Sampling temperature of the rollouts.</param>
/// <param name="MaxKl">A limit on objective/kl: past it the run stops as diverged, naming the step; null: none.</param>
public sealed record PpoSpec(string? RewardModel, double KlCoef, string KlEstimator, double Gamma, double Lam, double ClipRange,
    double ClipRangeValue, double VfCoef, int NumPpoEpochs, int NumMiniBatches, bool WhitenRewards, double? MissingEosPenalty,
    int ResponseLength, double Temperature, double? MaxKl) : StageSpec
{
    public const string RewardModelKey = "reward_model";

    public static readonly IReadOnlyList<string> Keys =
    [
        RewardModelKey, "kl_coef", "kl_estimator", "gamma", "lam", "cliprange", "cliprange_value", "vf_coef", "num_ppo_epochs",
        "num_mini_batches", "whiten_rewards", "missing_eos_penalty", "response_length", "temperature", "max_kl",
    ];

    public static readonly IReadOnlyList<string> KlEstimators = ["k1", "k3"];

    /// <summary>Every key at its default, for a spec without a train.ppo section.</summary>
    public static PpoSpec Default { get; } = new(null, 0.05, "k1", 1.0, 0.95, 0.2, 0.2, 0.1, 4, 1, false, null, 24, 1.0, null);

    internal static StageSpec Read(SpecSection ppo)
    {
        var unit = new Bound("in [0, 1]", v => v is >= 0 and <= 1);
        var d = Default;
        return new PpoSpec(
            ppo.OptionalText(RewardModelKey),
            ppo.Number("kl_coef", d.KlCoef, Bound.NonNegative),
            ppo.Choice("kl_estimator", d.KlEstimator, KlEstimators, "KL estimator"),
            ppo.Number("gamma", d.Gamma, unit),
            ppo.Number("lam", d.Lam, unit),
            ppo.Number("cliprange", d.ClipRange, Bound.Positive),
            ppo.Number("cliprange_value", d.ClipRangeValue, Bound.Positive),
            ppo.Number("vf_coef", d.VfCoef, Bound.NonNegative),
            ppo.Int("num_ppo_epochs", d.NumPpoEpochs, Bound.AtLeast(1)),
            ppo.Int("num_mini_batches", d.NumMiniBatches, Bound.AtLeast(1)),
            ppo.Bool("whiten_rewards", d.WhitenRewards),
            ppo.OptionalNumber("missing_eos_penalty", Bound.NonNegative),
            ppo.Int("response_length", d.ResponseLength, Bound.AtLeast(1)),
            ppo.Number("temperature", d.Temperature, Bound.Positive),
            ppo.OptionalNumber("max_kl", Bound.Positive));
    }

    /// <summary>This spec with reward_model resolved by <paramref name="resolve"/> (a run reference to the run's id).</summary>
    internal override StageSpec PinRuns(Func<string, string, string> resolve) =>
        RewardModel is { } reference ? this with { RewardModel = resolve(reference, $"train.ppo.{RewardModelKey}") } : this;

    internal override void Write(Mapping map)
    {
        map.Add(RewardModelKey, RewardModel);
        map.Add("kl_coef", KlCoef);
        map.Add("kl_estimator", KlEstimator);
        map.Add("gamma", Gamma);
        map.Add("lam", Lam);
        map.Add("cliprange", ClipRange);
        map.Add("cliprange_value", ClipRangeValue);
        map.Add("vf_coef", VfCoef);
        map.Add("num_ppo_epochs", (long)NumPpoEpochs);
        map.Add("num_mini_batches", (long)NumMiniBatches);
        map.Add("whiten_rewards", WhitenRewards);
        map.Add("missing_eos_penalty", MissingEosPenalty);
        map.Add("response_length", (long)ResponseLength);
        map.Add("temperature", Temperature);
        map.Add("max_kl", MaxKl);
    }
}
