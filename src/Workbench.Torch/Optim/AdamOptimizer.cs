// The Adam family's shared update (moment estimates with PyTorch's bias corrections), computed as
// PyTorch 1.13's single-tensor Adam/AdamW so that runs match it to float precision. Adam and AdamW
// differ only in how weight decay enters, which each supplies. On the CPU a group's float parameters
// are updated by one native call that makes a single pass over each (wb_optim_adam_step); the
// op-by-op Update below serves the rest (CUDA, non-contiguous parameters) and is its reference.
using Workbench.Torch.Native;

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

    /// <summary>AdamW's decay of the parameter itself (true), or Adam's L2 term added to the gradient (false).</summary>
    private protected abstract bool DecoupledWeightDecay { get; }

    /// <summary>Whether the native multi-tensor step is used where it can be (tests turn it off to compare).</summary>
    internal bool Fused { get; set; } = true;

    /// <summary>Parameter updates made by the native pass so far (tests check the path is taken).</summary>
    internal long FusedUpdates { get; private set; }

    private protected sealed override unsafe void UpdateGroup(OptimizerGroup group, IReadOnlyList<(Tensor Parameter, Tensor Grad, ParameterState State)> items)
    {
        var updated = new int[items.Count];
        if (Fused && items.Count > 0)
        {
            var parameters = new IntPtr[items.Count];
            var expAvgs = new IntPtr[items.Count];
            var expAvgSqs = new IntPtr[items.Count];
            var steps = new long[items.Count];
            for (var i = 0; i < items.Count; i++)
            {
                var (p, _, state) = items[i];
                parameters[i] = p.Handle.DangerousGetHandle();
                expAvgs[i] = Moment(state, ExpAvg, p).Handle.DangerousGetHandle();
                expAvgSqs[i] = Moment(state, ExpAvgSq, p).Handle.DangerousGetHandle();
                steps[i] = state.Step;
            }
            // The parameters and their moments stay referenced (by the groups and the state) across the call.
            fixed (IntPtr* ps = parameters)
            fixed (IntPtr* ms = expAvgs)
            fixed (IntPtr* vs = expAvgSqs)
            fixed (long* ss = steps)
            fixed (int* done = updated)
            {
                NativeMethods.Check(NativeMethods.wb_optim_adam_step(ps, ms, vs, ss, items.Count, group.LearningRate, group.Beta1, group.Beta2,
                    group.Eps, group.WeightDecay, DecoupledWeightDecay ? 1 : 0, done), "adam_step");
            }
            GC.KeepAlive(items);
        }
        FusedUpdates += updated.Sum();
        for (var i = 0; i < items.Count; i++)
        {
            if (updated[i] == 0) Update(group, items[i].Parameter, items[i].Grad, items[i].State);
        }
    }

    private static Tensor Moment(ParameterState state, string name, Tensor parameter) =>
        state.Buffer(name, () => Tensor.Zeros(parameter.Shape, parameter.DType, parameter.Device));

    private protected sealed override void Update(OptimizerGroup group, Tensor parameter, Tensor grad, ParameterState state)
    {
        grad = ApplyWeightDecay(group, parameter, grad);
        var expAvg = Moment(state, ExpAvg, parameter);
        var expAvgSq = Moment(state, ExpAvgSq, parameter);
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
