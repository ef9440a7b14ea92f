// PPO's knobs, as TRL's PPOConfig names them: how rollouts become advantages (the KL penalty, GAE, whitening,
// the missing end-of-turn penalty) and how far one update may move the policy and the value head (the clips).
namespace Workbench.Models.PostTraining;

public sealed record PpoSettings
{
    /// <param name="klCoef">Weight of the per-token KL penalty to the reference; 0 or more.</param>
    /// <param name="klEstimator">k1 or k3 (see <see cref="KlEstimate"/>).</param>
    /// <param name="gamma">GAE's discount, in [0, 1].</param>
    /// <param name="lambda">GAE's lambda, in [0, 1].</param>
    /// <param name="whitenRewards">Whiten the per-token rewards over the batch (mean kept) before GAE.</param>
    /// <param name="missingEosPenalty">Subtracted from the score of a completion that never emits end of turn; null for none.</param>
    /// <param name="clipRange">The policy ratio's clip, epsilon: updates keep it in [1 - epsilon, 1 + epsilon]; above 0.</param>
    /// <param name="clipRangeValue">How far a value estimate may move from its rollout value before its loss is clipped; above 0.</param>
    /// <param name="vfCoef">Weight of the value loss beside the policy loss; 0 or more.</param>
    public PpoSettings(double klCoef = 0.05, KlEstimator klEstimator = KlEstimator.K1, double gamma = 1, double lambda = 0.95,
        bool whitenRewards = false, double? missingEosPenalty = null, double clipRange = 0.2, double clipRangeValue = 0.2, double vfCoef = 0.1)
    {
        if (!(klCoef >= 0)) throw new ArgumentOutOfRangeException(nameof(klCoef), klCoef, "kl_coef must be 0 or more");
        if (gamma is not (>= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be in [0, 1]");
        if (lambda is not (>= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must be in [0, 1]");
        if (missingEosPenalty is < 0) throw new ArgumentOutOfRangeException(nameof(missingEosPenalty), missingEosPenalty, "missing_eos_penalty must be 0 or more");
        if (!(clipRange > 0)) throw new ArgumentOutOfRangeException(nameof(clipRange), clipRange, "cliprange must be above 0");
        if (!(clipRangeValue > 0)) throw new ArgumentOutOfRangeException(nameof(clipRangeValue), clipRangeValue, "cliprange_value must be above 0");
        if (!(vfCoef >= 0)) throw new ArgumentOutOfRangeException(nameof(vfCoef), vfCoef, "vf_coef must be 0 or more");
        (KlCoef, KlEstimator, Gamma, Lambda, WhitenRewards, MissingEosPenalty) = (klCoef, klEstimator, gamma, lambda, whitenRewards, missingEosPenalty);
        (ClipRange, ClipRangeValue, VfCoef) = (clipRange, clipRangeValue, vfCoef);
    }

    public double KlCoef { get; }
    public KlEstimator KlEstimator { get; }
    public double Gamma { get; }
    public double Lambda { get; }
    public bool WhitenRewards { get; }
    public double? MissingEosPenalty { get; }
    public double ClipRange { get; }
    public double ClipRangeValue { get; }
    public double VfCoef { get; }
}
