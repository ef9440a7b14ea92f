// The Adam family's shared update (moment estimates with PyTorch's bias corrections), computed as
// PyTorch 1.13's single-tensor Adam/AdamW so that runs match it to float precision. Adam and AdamW
// differ only in how weight decay enters, which each supplies.
namespace Workbench.Torch.Optim;

public abstract class AdamOptimizer : Optimizer
{
    private const string ExpAvg = "exp_avg";
    private const string ExpAvgSq = "exp_avg_sq";
    private static readonly string[] Buffers = [ExpAvg, ExpAvgSq];

    private protected AdamOptimizer(IEnumerable<ParameterGroup> groups, double learningRate, double beta1, double beta2, double eps, double weightDecay)
        : base(groups, new Hyperparameters(learningRate, weightDecay, beta1, beta2, eps, Momentum: 0))
    {
    }

    protected sealed override IReadOnlyList<string> BufferNames => Buffers;

    /// <summary>Applies weight decay for this step; returns the gradient the moments should see.</summary>
    private protected abstract Tensor ApplyWeightDecay(OptimizerGroup group, Tensor parameter, Tensor grad);

    private protected sealed override void Update(OptimizerGroup group, Tensor parameter, Tensor grad, ParameterState state)
    {
        grad = ApplyWeightDecay(group, parameter, grad);
        var expAvg = state.Buffer(ExpAvg, () => Tensor.Zeros(parameter.Shape, parameter.DType, parameter.Device));
        var expAvgSq = state.Buffer(ExpAvgSq, () => Tensor.Zeros(parameter.Shape, parameter.DType, parameter.Device));
        var (beta1, beta2) = (group.Beta1, group.Beta2);

        expAvg.Mul_(beta1).AddScaled_(grad, 1 - beta1);            // m = b1 m + (1 - b1) g
        expAvgSq.Mul_(beta2).AddCMul_(grad, grad, 1 - beta2);      // v = b2 v + (1 - b2) g²

        // Bias corrections in double, as PyTorch computes them from the step as a Python float.
        var biasCorrection1 = 1 - Math.Pow(beta1, state.Step);
        var biasCorrection2 = 1 - Math.Pow(beta2, state.Step);
        var stepSize = group.LearningRate / biasCorrection1;

        var denominator = expAvgSq.Sqrt();                          // sqrt(v) / sqrt(bc2) + eps
        denominator.Div_(Math.Sqrt(biasCorrection2)).Add_(group.Eps);
        parameter.AddCDiv_(expAvg, denominator, -stepSize);         // p -= lr / bc1 * m / denominator
    }
}
