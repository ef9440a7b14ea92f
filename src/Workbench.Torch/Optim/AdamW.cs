// AdamW (torch.optim.AdamW): the Adam family's update with weight decay decoupled from the gradient.
namespace Workbench.Torch.Optim;

/// <summary>Adam with decoupled weight decay: the parameters shrink by lr * weight_decay each step (torch.optim.AdamW).</summary>
public sealed class AdamW : AdamOptimizer
{
    public AdamW(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
                 double eps = 1e-8, double weightDecay = 1e-2)
        : this([new ParameterGroup(parameters.ToArray())], learningRate, beta1, beta2, eps, weightDecay)
    {
    }

    public AdamW(IEnumerable<ParameterGroup> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
                 double eps = 1e-8, double weightDecay = 1e-2)
        : base(groups, learningRate, beta1, beta2, eps, weightDecay)
    {
    }

    private protected override bool DecoupledWeightDecay => true;

    // p = p * (1 - lr * weight_decay); the gradient is unchanged.
    private protected override Tensor ApplyWeightDecay(OptimizerGroup group, Tensor parameter, Tensor grad)
    {
        if (group.WeightDecay != 0) parameter.Mul_(1 - group.LearningRate * group.WeightDecay);
        return grad;
    }
}
