// Linear: y = x W^T + b, initialised as PyTorch does (uniform in ±1/sqrt(in_features)).
namespace Workbench.Torch.Nn;

public sealed class Linear : Layer
{
    public Linear(long inFeatures, long outFeatures, bool bias = true)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var bound = 1.0 / Math.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Init.Uniform([outFeatures, inFeatures], -bound, bound));  // (out, in)
        Bias = bias ? RegisterParameter("bias", Init.Uniform([outFeatures], -bound, bound)) : null;
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    // (*, in) -> (*, out)
    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);
}
