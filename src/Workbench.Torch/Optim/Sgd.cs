// Stochastic gradient descent with momentum (dampening 0), Nesterov momentum and L2 weight decay,
// computed as PyTorch 1.13's single-tensor SGD so that runs match it to float precision.
namespace Workbench.Torch.Optim;

public sealed class Sgd : Optimizer
{
    private static readonly string[] Buffers = ["momentum_buffer"];

    public Sgd(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, double weightDecay = 0, bool nesterov = false)
        : this([new ParameterGroup(parameters.ToArray())], learningRate, momentum, weightDecay, nesterov)
    {
    }

    public Sgd(IEnumerable<ParameterGroup> groups, double learningRate, double momentum = 0, double weightDecay = 0, bool nesterov = false)
        : base(groups, new Hyperparameters(learningRate, weightDecay, Beta1: 0, Beta2: 0, Eps: 0, momentum))
    {
        Nesterov = nesterov;
        if (nesterov && Groups.Any(g => g.Momentum <= 0))
            throw new ArgumentException("Nesterov momentum needs momentum > 0 in every parameter group");
    }

    public bool Nesterov { get; }

    protected override IReadOnlyList<string> BufferNames => Buffers;

    private protected override void Update(OptimizerGroup group, Tensor parameter, Tensor grad, ParameterState state)
    {
        // d = grad + weight_decay * p; a new tensor so that the gradient itself is left as backward wrote it.
        var d = group.WeightDecay != 0 ? grad.Clone().AddScaled_(parameter, group.WeightDecay) : grad;
        if (group.Momentum != 0)
        {
            // buf = d on the first step, then buf = momentum * buf + d.
            if (state.Buffers.TryGetValue(Buffers[0], out var buffer)) buffer.Mul_(group.Momentum).AddScaled_(d, 1);
            else buffer = state.Buffer(Buffers[0], d.Clone);
            d = Nesterov ? (ReferenceEquals(d, grad) ? grad.Clone() : d).AddScaled_(buffer, group.Momentum) : buffer;
        }
        parameter.AddScaled_(d, -group.LearningRate);
    }
}
