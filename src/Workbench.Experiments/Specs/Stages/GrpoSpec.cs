// train.grpo: group relative policy optimisation's keys, as TRL's GRPOConfig names them, plus the reward
// functions and their weights (reward_funcs) and a KL limit past which the run stops as diverged (max_kl).
namespace Workbench.Experiments.Specs;

/// <summary>One reward function of the sum and its weight.</summary>
public sealed record RewardWeight(string Name, double Weight);

/// <param name="NumGenerations">Completions sampled per prompt (G, at least 2); must divide train.batch_size, which counts completions.</param>
/// <param name="MaxCompletionLength">Most tokens a completion may have, end of turn included; also dr_grpo's divisor.</param>
/// <param name="Temperature">Sampling temperature of the rollouts (and of val/pass@k); above 0.</param>
/// <param name="TopK">Keep only the k likeliest tokens when sampling; null: all.</param>
/// <param name="TopP">Nucleus sampling's mass; 1: all.</param>
/// <param name="Epsilon">The ratio's lower clip, 1 - epsilon.</param>
/// <param name="EpsilonHigh">The ratio's upper clip, 1 + epsilon_high; null: epsilon (DAPO raises it).</param>
/// <param name="Beta">Weight of the k3 KL to the reference (the init_from model); 0: no reference model is loaded.</param>
/// <param name="LossType">grpo, dr_grpo or dapo: how the per-token losses are normalised.</param>
/// <param name="ScaleRewards">group, batch or none: what the advantages are divided by.</param>
/// <param name="NumIterations">Updates on each rollout (mu); above 1 the ratio to the sampling policy is clipped.</param>
/// <param name="RewardFuncs">The reward functions summed, with their weights, in the reward catalog's order.</param>
/// <param name="MaxKl">A mean KL to the reference past which the run stops as diverged; null: no limit.</param>
public sealed record GrpoSpec(int NumGenerations, int MaxCompletionLength, double Temperature, int? TopK, double TopP, double Epsilon,
    double? EpsilonHigh, double Beta, string LossType, string ScaleRewards, int NumIterations, ValueList<RewardWeight> RewardFuncs,
    double? MaxKl) : StageSpec
{
    public static readonly IReadOnlyList<string> Keys =
    [
        "num_generations", "max_completion_length", "temperature", "top_k", "top_p", "epsilon", "epsilon_high", "beta", "loss_type",
        "scale_rewards", "num_iterations", "reward_funcs", "max_kl",
    ];

    public static readonly IReadOnlyList<string> LossTypes = ["grpo", "dr_grpo", "dapo"];
    public static readonly IReadOnlyList<string> Scalings = ["group", "batch", "none"];

    /// <summary>The reward functions a spec may name (Stages/Grpo/RewardFunctions.cs defines them).</summary>
    public static readonly IReadOnlyList<string> RewardNames = ["correctness", "format", "length"];

    public static readonly ValueList<RewardWeight> DefaultRewards = ValueList.Of(new RewardWeight("correctness", 1.0), new RewardWeight("format", 0.1));

    internal static StageSpec Read(SpecSection grpo)
    {
        var rewards = DefaultRewards;
        if (grpo.Has("reward_funcs"))
        {
            var section = grpo.Section("reward_funcs", [.. RewardNames]);
            rewards = new ValueList<RewardWeight>(RewardNames.Where(section.Has)
                .Select(name => new RewardWeight(name, section.Number(name, 0, new Bound("finite", _ => true)))));
            if (rewards.Count == 0)
                grpo.Error("reward_funcs", $"names no reward function; give one or more of {string.Join(", ", RewardNames)} with a weight");
        }
        var spec = new GrpoSpec(
            grpo.Int("num_generations", 8, Bound.AtLeast(2)),
            grpo.Int("max_completion_length", 32, Bound.Positive),
            grpo.Number("temperature", 1.0, Bound.Positive),
            grpo.OptionalInt("top_k", Bound.Positive),
            grpo.Number("top_p", 1.0, new Bound("in (0, 1]", v => v is > 0 and <= 1)),
            grpo.Number("epsilon", 0.2, new Bound("in (0, 1)", v => v is > 0 and < 1)),
            grpo.OptionalNumber("epsilon_high", Bound.Positive),
            grpo.Number("beta", 0.0, Bound.NonNegative),
            grpo.Choice("loss_type", "dapo", LossTypes, "GRPO loss type"),
            grpo.Choice("scale_rewards", "group", Scalings, "reward scaling"),
            grpo.Int("num_iterations", 1, Bound.Positive),
            rewards,
            grpo.OptionalNumber("max_kl", Bound.Positive));
        if (spec.MaxKl is not null && spec.Beta == 0)
            grpo.Error("max_kl", "needs beta > 0: with beta 0 no reference model is loaded, so there is no KL to limit");
        return spec;
    }

    internal override void Check(SpecSection grpo, TrainSpec train)
    {
        if (train.BatchSize % NumGenerations != 0)
            grpo.Error("num_generations", $"{NumGenerations} completions per prompt must divide train.batch_size {train.BatchSize} " +
                                          "(it counts completions: prompts per step x num_generations)");
    }

    internal override void Write(Mapping map)
    {
        map.Add("num_generations", (long)NumGenerations);
        map.Add("max_completion_length", (long)MaxCompletionLength);
        map.Add("temperature", Temperature);
        map.Add("top_k", TopK is { } k ? (long)k : null);
        map.Add("top_p", TopP);
        map.Add("epsilon", Epsilon);
        map.Add("epsilon_high", EpsilonHigh);
        map.Add("beta", Beta);
        map.Add("loss_type", LossType);
        map.Add("scale_rewards", ScaleRewards);
        map.Add("num_iterations", (long)NumIterations);
        var rewards = new Mapping();
        foreach (var reward in RewardFuncs) rewards.Add(reward.Name, reward.Weight);
        map.Add("reward_funcs", rewards);
        map.Add("max_kl", MaxKl);
    }
}
