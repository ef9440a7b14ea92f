// train.dpo: direct preference optimisation's keys, as TRL's DPOConfig names them.
namespace Workbench.Experiments.Specs;

/// <param name="Beta">How far the policy may move from the reference (the implicit reward's scale).</param>
/// <param name="LossType">sigmoid (DPO), ipo or hinge (SLiC).</param>
/// <param name="LabelSmoothing">cDPO's assumed rate of flipped labels, in [0, 0.5); sigmoid only.</param>
/// <param name="PrecomputeRefLogProbs">Compute the reference's log-probabilities once for the whole dataset before training instead of per batch.</param>
/// <param name="RpoAlpha">
/// Weight of the chosen answers' mean token NLL added to the loss (RPO, Pang et al. 2024; TRL's rpo_alpha): it keeps
/// DPO from lowering the likelihood of the right answers along with the wrong ones. 0: plain DPO.
/// </param>
public sealed record DpoSpec(double Beta, string LossType, double LabelSmoothing, bool PrecomputeRefLogProbs, double RpoAlpha = 0) : StageSpec
{
    public static readonly IReadOnlyList<string> Keys = ["beta", "loss_type", "label_smoothing", "precompute_ref_log_probs", "rpo_alpha"];
    public static readonly IReadOnlyList<string> LossTypes = ["sigmoid", "ipo", "hinge"];

    internal static StageSpec Read(SpecSection dpo)
    {
        var spec = new DpoSpec(
            dpo.Number("beta", 0.1, Bound.Positive),
            dpo.Choice("loss_type", "sigmoid", LossTypes, "DPO loss type"),
            dpo.Number("label_smoothing", 0.0, new Bound("in [0, 0.5)", v => v is >= 0 and < 0.5)),
            dpo.Bool("precompute_ref_log_probs", false),
            dpo.Number("rpo_alpha", 0.0, Bound.NonNegative));
        if (spec.LabelSmoothing != 0 && spec.LossType != "sigmoid")
            dpo.Error("label_smoothing", $"label smoothing applies to the sigmoid loss only, not {spec.LossType}");
        return spec;
    }

    internal override void Write(Mapping map)
    {
        map.Add("beta", Beta);
        map.Add("loss_type", LossType);
        map.Add("label_smoothing", LabelSmoothing);
        map.Add("precompute_ref_log_probs", PrecomputeRefLogProbs);
        map.Add("rpo_alpha", RpoAlpha);
    }
}
