// Adam (torch.optim.Adam): the Adam family's update with L2 weight decay added to the gradient.
namespace Workbench.Torch.Optim;

/// <summary>Adam with L2 weight decay folded into the gradient (torch.optim.Adam).</summary>
public sealed class Adam : AdamOptimizer
{
    public Adam(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
                double eps = 1e-8, double weightDecay = 0)
        : this([new ParameterGroup(parameters.ToArray())], learningRate, beta1, beta2, eps, weightDecay)
    {
    }

    public Adam(IEnumerable<ParameterGroup> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
                double eps = 1e-8, double weightDecay = 0)
        : base(groups, learningRate, beta1, beta2, eps, weightDecay)
    {
    }

    private protected override bool DecoupledWeightDecay => false;

    // g = g + weight_decay * p
    private protected override Tensor ApplyWeightDecay(OptimizerGroup group, Tensor parameter, Tensor grad) =>
        group.WeightDecay != 0 ? grad.Clone().AddScaled_(parameter, group.WeightDecay) : grad;
}
