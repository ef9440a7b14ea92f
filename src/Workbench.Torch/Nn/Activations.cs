// Element-wise activation layers, for use in Sequential (they hold no parameters).
namespace Workbench.Torch.Nn;

public sealed class ReLU : Layer
{
    public override Tensor Forward(Tensor input) => input.Relu();
}

public sealed class Tanh : Layer
{
    public override Tensor Forward(Tensor input) => input.Tanh();
}

public sealed class Sigmoid : Layer
{
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}

/// <summary>GELU, exact (erf) by default; <c>approximate: "tanh"</c> in PyTorch is tanhApproximation here.</summary>
public sealed class GELU(bool tanhApproximation = false) : Layer
{
    public bool TanhApproximation { get; } = tanhApproximation;

    public override Tensor Forward(Tensor input) => input.Gelu(TanhApproximation);
}
