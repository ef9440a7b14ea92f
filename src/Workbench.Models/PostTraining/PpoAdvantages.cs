// What PPO makes of a rollout before it updates anything, as TRL's PPOTrainer does: the reward model's score
// of each completion (less missing_eos_penalty when it never emitted end of turn) lands on its last token, every
// token pays -kl_coef * KL to the reference (the non-score reward), the rewards are optionally whitened, GAE
// turns them and the value head's estimates into advantages and returns, and the advantages are whitened over
// the batch's completion tokens. TRL's PPOTrainer since 0.12 puts the score one position later, after end of
// turn (so its value head also learns a value there); here it lies on the last token, as its first PPOTrainer
// had it, and every per-token tensor stops at the completion's end.
using Workbench.Torch;

namespace Workbench.Models.PostTraining;

/// <param name="Kl">(B, T) the per-token KL estimate.</param>
/// <param name="NonScoreReward">(B, T) -kl_coef * Kl.</param>
/// <param name="Scores">(B) each completion's score, the missing end-of-turn penalty applied.</param>
/// <param name="Rewards">(B, T) per-token rewards, whitened when the settings say so.</param>
/// <param name="Advantages">(B, T) whitened advantages; Returns (B, T) the value head's targets. All 0 past a completion's end.</param>
/// <param name="Metrics">TRL's objective/* figures, each () without gradient.</param>
public sealed record PpoAdvantages(Tensor Kl, Tensor NonScoreReward, Tensor Scores, Tensor Rewards, Tensor Advantages, Tensor Returns,
                                   IReadOnlyList<(string Key, Tensor Value)> Metrics)
{
    /// <param name="logProbs">(B, T) the rollout policy's log-probabilities of its sampled completion tokens.</param>
    /// <param name="referenceLogProbs">(B, T) the reference's log-probabilities of the same tokens.</param>
    /// <param name="values">(B, T) the value head at each completion token.</param>
    /// <param name="scores">(B) each completion's score (reward model or checker).</param>
    /// <param name="mask">(B, T) the completion tokens, from the first up to and with end of turn (at least one per row).</param>
    /// <param name="endedTurn">(B) bool, whether each completion emitted end of turn.</param>
    public static PpoAdvantages Compute(PpoSettings settings, Tensor logProbs, Tensor referenceLogProbs, Tensor values, Tensor scores,
        Tensor mask, Tensor endedTurn)
    {
        if (logProbs.Dim != 2 || !values.Shape.SequenceEqual(logProbs.Shape) || !scores.Shape.SequenceEqual(logProbs.Shape[..1])
            || !endedTurn.Shape.SequenceEqual(scores.Shape))
            throw new ArgumentException($"PPO's advantages need (B, T) log-probabilities and values and (B) scores and end-of-turn flags; got " +
                                        $"log-probabilities [{string.Join(", ", logProbs.Shape)}], values [{string.Join(", ", values.Shape)}], " +
                                        $"scores [{string.Join(", ", scores.Shape)}], flags [{string.Join(", ", endedTurn.Shape)}]");
        using var noGrad = new NoGrad();
        var on = MaskedWhiten.OnAsFloat(logProbs, mask);                                             // (B, T)
        if (settings.MissingEosPenalty is { } penalty)
            scores = scores - endedTurn.LogicalNot().To(scores.DType) * penalty;
        var kl = KlEstimate.PerToken(logProbs, referenceLogProbs, on, settings.KlEstimator);
        var nonScore = kl * -settings.KlCoef;
        var lastIndex = (on.Sum(1) - 1).To(ScalarType.Int64).Unsqueeze(1);                             // (B, 1)
        var last = Tensor.Arange(0, logProbs.Size(1), device: logProbs.Device).Unsqueeze(0).Eq(lastIndex);   // (B, T) one-hot
        var rewards = nonScore + last.To(nonScore.DType) * scores.Unsqueeze(1);
        if (settings.WhitenRewards) rewards = MaskedWhiten.Whiten(rewards, on, shiftMean: false);
        var (advantages, returns) = Gae.Compute(rewards, values, on, settings.Gamma, settings.Lambda);
        var nonScoreSum = nonScore.Sum(1).Mean();
        var scoresMean = scores.Mean();
        return new PpoAdvantages(kl, nonScore, scores, rewards, MaskedWhiten.Whiten(advantages, on), returns,
        [
            ("objective/kl", kl.Sum(1).Mean()),
            // TRL's entropy estimate: the sampled tokens' surprisal, summed per completion.
            ("objective/entropy", (-logProbs * on).Sum(1).Mean()),
            ("objective/non_score_reward", nonScoreSum),
            ("objective/rlhf_reward", nonScoreSum + scoresMean),
            ("objective/scores", scoresMean),
        ]);
    }
}
