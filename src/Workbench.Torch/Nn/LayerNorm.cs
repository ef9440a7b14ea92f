// LayerNorm: normalises the trailing dims, with a learned scale (ones) and shift (zeros).
namespace Workbench.Torch.Nn;

public sealed class LayerNorm : Layer
{
    public LayerNorm(long[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true)
    {
        NormalizedShape = normalizedShape;
        Eps = eps;
        if (elementwiseAffine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(normalizedShape));
            Bias = RegisterParameter("bias", Tensor.Zeros(normalizedShape));
        }
    }

    public LayerNorm(long normalizedShape, double eps = 1e-5, bool elementwiseAffine = true) : this([normalizedShape], eps, elementwiseAffine) { }

    public long[] NormalizedShape { get; }
    public double Eps { get; }
    public Tensor? Weight { get; }
    public Tensor? Bias { get; }

    // (*, normalizedShape...) -> same shape
    public override Tensor Forward(Tensor input) => Functional.LayerNorm(input, NormalizedShape, Weight, Bias, Eps);
}
