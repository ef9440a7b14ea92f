// GRPO's group-normalised advantage, as TRL's GRPOTrainer computes it from the rewards of G completions of
// each prompt: a reward minus the mean of its group (the baseline a value head would otherwise learn),
// divided by a spread + 1e-4 as scale_rewards says: the group's std (group, DeepSeekMath's GRPO), the whole
// batch's (batch), or nothing (none: Dr. GRPO, which finds the group std favours too easy and too hard
// prompts). A group whose rewards are all equal teaches nothing: its advantages are 0, and the fraction of
// completions in such groups is logged (frac_reward_zero_std) so that a run starved of signal shows it.
using Workbench.Torch;

namespace Workbench.Models.PostTraining;

public enum RewardScaling { Group, Batch, None }

/// <param name="Advantages">(N) each completion's advantage, constants (no gradient).</param>
/// <param name="Std">(N) the spread each advantage was (or, for none, would have been) divided by: its group's std, or the batch's.</param>
/// <param name="Reward">() mean reward.</param>
/// <param name="RewardStd">() mean of <paramref name="Std"/>.</param>
/// <param name="FracRewardZeroStd">() the fraction of completions whose spread is 0.</param>
public sealed record GroupAdvantage(Tensor Advantages, Tensor Std, Tensor Reward, Tensor RewardStd, Tensor FracRewardZeroStd) : ITensorMetrics
{
    /// <summary>What TRL adds to the spread before dividing by it, so that a group without spread divides 0 by a small number.</summary>
    public const double Epsilon = 1e-4;

    public IReadOnlyList<(string Key, Tensor Value)> Metrics =>
        [("reward", Reward), ("reward_std", RewardStd), ("frac_reward_zero_std", FracRewardZeroStd)];

    /// <param name="rewards">(N) the rewards, N = prompts x G, a group's G completions in consecutive rows.</param>
    /// <param name="generations">G, at least 2 (a group of one has no spread).</param>
    public static GroupAdvantage Compute(Tensor rewards, int generations, RewardScaling scaling)
    {
        if (generations < 2) throw new ArgumentOutOfRangeException(nameof(generations), generations, "a group needs at least 2 completions");
        if (rewards.Dim != 1 || rewards.Size(0) % generations != 0)
            throw new ArgumentException($"group advantages need (N) rewards, N a multiple of {generations}; got [{string.Join(", ", rewards.Shape)}]");
        using var noGrad = new NoGrad();
        var r = rewards.Detach().To(ScalarType.Float32);
        var grouped = r.View(-1, generations);                                                       // (N / G, G)
        var n = r.Size(0);
        var mean = grouped.Mean(1, keepDim: true).Expand(n / generations, generations).Reshape(n);   // (N) each row's group mean
        var std = scaling == RewardScaling.Batch
            ? r.Std().Expand(n)
            : grouped.Std([1], keepDim: true).Expand(n / generations, generations).Reshape(n);       // (N) unbiased, as torch's default
        var advantages = r - mean;
        if (scaling != RewardScaling.None) advantages = advantages / (std + Epsilon);
        var zero = std.Abs().Le(1e-8).To(ScalarType.Float32);                                     // torch.isclose(std, 0)'s default atol
        return new GroupAdvantage(advantages, std, r.Mean(), std.Mean(), zero.Mean());
    }
}
