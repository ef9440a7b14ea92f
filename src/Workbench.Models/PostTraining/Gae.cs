// Generalised advantage estimation (Schulman et al. 2016) over a batch of completions, as TRL's PPOTrainer
// computes it: walking back from the last position, delta_t = r_t + gamma V_{t+1} - V_t and
// A_t = delta_t + gamma lambda A_{t+1}; the returns the value head learns are A + V. Rewards and values past a
// completion's end are taken as 0, so nothing after end of turn flows back into it.
using Workbench.Torch;

namespace Workbench.Models.PostTraining;

public static class Gae
{
    /// <param name="rewards">(B, T) per-token rewards.</param>
    /// <param name="values">(B, T) the value head's estimates at rollout time.</param>
    /// <param name="mask">(B, T) the completion tokens.</param>
    /// <param name="gamma">Discount per token, in [0, 1].</param>
    /// <param name="lambda">GAE's bias-variance trade-off, in [0, 1]: 1 is the Monte-Carlo return, 0 one-step TD.</param>
    /// <returns>(B, T) advantages (not whitened) and (B, T) returns, both 0 where the mask is off; no gradient.</returns>
    public static (Tensor Advantages, Tensor Returns) Compute(Tensor rewards, Tensor values, Tensor mask, double gamma, double lambda)
    {
        if (!values.Shape.SequenceEqual(rewards.Shape) || rewards.Dim != 2)
            throw new ArgumentException($"GAE needs rewards and values of one shape (B, T); got [{string.Join(", ", rewards.Shape)}] " +
                                        $"and [{string.Join(", ", values.Shape)}]");
        if (gamma is < 0 or > 1 || lambda is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(gamma), $"gamma {gamma} and lambda {lambda} must be in [0, 1]");
        using var noGrad = new NoGrad();
        var on = MaskedWhiten.OnAsFloat(rewards, mask);
        var (r, v) = (rewards * on, values.Detach() * on);
        var length = rewards.Size(1);
        var reversed = new List<Tensor>();
        Tensor? next = null;                                                             // (B, 1) A_{t+1}
        for (var t = length - 1; t >= 0; t--)
        {
            var delta = r.Narrow(1, t, 1) - v.Narrow(1, t, 1);                           // (B, 1)
            if (t < length - 1) delta = delta + gamma * v.Narrow(1, t + 1, 1);
            next = next is null ? delta : delta + gamma * lambda * next;
            reversed.Add(next);
        }
        reversed.Reverse();
        var advantages = Tensor.Cat(reversed, 1);                                        // (B, T)
        return (advantages, advantages + v);
    }
}
