// Direct preference optimisation's loss, as TRL's DPOTrainer computes it, from the log-probabilities the policy and
// the frozen reference give each pair's chosen and rejected answers. With h = (pi_c - pi_r) - (ref_c - ref_r):
//   sigmoid  -(1 - ls) log sigmoid(beta h) - ls log sigmoid(-beta h)   (DPO; ls, label smoothing, is cDPO's noise rate)
//   ipo      (h - 1 / (2 beta))^2                                      (IPO, on log-probabilities averaged per token)
//   hinge    max(0, 1 - beta h)                                        (SLiC)
// averaged over the pairs. The implicit reward of an answer is beta (pi - ref).
using Workbench.Torch;

namespace Workbench.Models.PostTraining;

public enum DpoLossType { Sigmoid, Ipo, Hinge }

public sealed record DpoSettings
{
    /// <param name="beta">How far the policy may move from the reference: the reward scale (IPO's tau); above 0.</param>
    /// <param name="lossType">Which of the three losses.</param>
    /// <param name="labelSmoothing">The assumed fraction of flipped preference labels, in [0, 0.5); sigmoid only.</param>
    public DpoSettings(double beta = 0.1, DpoLossType lossType = DpoLossType.Sigmoid, double labelSmoothing = 0)
    {
        if (!(beta > 0)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "DPO's beta must be above 0");
        if (!(labelSmoothing >= 0 && labelSmoothing < 0.5))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "label smoothing must be in [0, 0.5)");
        if (labelSmoothing != 0 && lossType != DpoLossType.Sigmoid)
            throw new ArgumentException($"label smoothing applies to the sigmoid loss only, not {lossType.ToString().ToLowerInvariant()}", nameof(labelSmoothing));
        (Beta, LossType, LabelSmoothing) = (beta, lossType, labelSmoothing);
    }

    public double Beta { get; }
    public DpoLossType LossType { get; }
    public double LabelSmoothing { get; }

    /// <summary>
    /// (B) an answer's log-probability as this loss reads it, for the policy and the reference alike: summed over
    /// the answer's tokens, or averaged per token for IPO (TRL's DPOTrainer divides by the length there, so that
    /// the target margin 1 / (2 beta) does not depend on how long the answers are).
    /// </summary>
    public Tensor SequenceLogProbs(Tensor logits, Tensor targets, Tensor mask) =>
        TokenLogProbs.PerSequence(logits, targets, mask, average: LossType == DpoLossType.Ipo);

    /// <summary>As the other overload, from <see cref="TokenLogProbs.PerToken"/>'s (B, T) result.</summary>
    public Tensor SequenceLogProbs(Tensor perToken, Tensor mask) => TokenLogProbs.PerSequence(perToken, mask, average: LossType == DpoLossType.Ipo);
}

/// <param name="Loss">() the mean loss over the pairs, with its gradient through the policy's log-probabilities.</param>
/// <param name="ChosenRewards">() mean beta (pi_c - ref_c); RejectedRewards likewise.</param>
/// <param name="Margins">() mean difference of the two rewards.</param>
/// <param name="Accuracies">() the fraction of pairs whose chosen reward is the higher.</param>
/// <param name="ChosenLogProbs">() the policy's mean log-probability of the chosen answers; RejectedLogProbs likewise.</param>
public sealed record DpoLoss(Tensor Loss, Tensor ChosenRewards, Tensor RejectedRewards, Tensor Margins, Tensor Accuracies,
                             Tensor ChosenLogProbs, Tensor RejectedLogProbs) : ILossWithMetrics
{
    /// <summary>The metrics' keys, in <see cref="Metrics"/>' order.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        ["rewards/chosen", "rewards/rejected", "rewards/margins", "rewards/accuracies", "logps/chosen", "logps/rejected"];

    public IReadOnlyList<(string Key, Tensor Value)> Metrics =>
        Keys.Zip([ChosenRewards, RejectedRewards, Margins, Accuracies, ChosenLogProbs, RejectedLogProbs]).ToList();

    /// <summary>
    /// Each argument is (B), one value per pair, from <see cref="DpoSettings.SequenceLogProbs"/>. The reference's
    /// are constants: they are detached here, so a reference computed with gradients cannot leak into the step.
    /// </summary>
    public static DpoLoss Compute(DpoSettings settings, Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen, Tensor referenceRejected)
    {
        Tensor[] all = [policyChosen, policyRejected, referenceChosen, referenceRejected];
        if (policyChosen.Dim != 1 || all.Any(t => !t.Shape.SequenceEqual(policyChosen.Shape)))
            throw new ArgumentException("the DPO loss needs four log-probabilities of one shape (B); got " +
                                        string.Join(", ", all.Select(t => $"[{string.Join(", ", t.Shape)}]")));
        var (refChosen, refRejected) = (referenceChosen.Detach(), referenceRejected.Detach());
        var h = policyChosen - policyRejected - (refChosen - refRejected);                          // (B)
        var beta = settings.Beta;
        var losses = settings.LossType switch
        {
            DpoLossType.Sigmoid => -(1 - settings.LabelSmoothing) * (h * beta).LogSigmoid() - settings.LabelSmoothing * (h * -beta).LogSigmoid(),
            DpoLossType.Ipo => (h - 1 / (2 * beta)).Square(),
            DpoLossType.Hinge => (1 - h * beta).Relu(),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.LossType, "unknown DPO loss type"),
        };
        var loss = losses.Mean();
        using var noGrad = new NoGrad();
        var chosen = (policyChosen - refChosen) * beta;                                             // (B)
        var rejected = (policyRejected - refRejected) * beta;
        return new DpoLoss(loss, chosen.Mean(), rejected.Mean(), (chosen - rejected).Mean(), chosen.Gt(rejected).To(ScalarType.Float32).Mean(),
            policyChosen.Mean(), policyRejected.Mean());
    }
}
