// Parameter initialisers, drawing from the global generator (seeded by Torch.ManualSeed).
namespace Workbench.Torch.Nn;

public static class Init
{
    /// <summary>A new tensor uniform on [low, high).</summary>
    public static Tensor Uniform(long[] shape, double low, double high, ScalarType dtype = ScalarType.Float32)
    {
        var t = Tensor.Rand(shape, dtype);
        return t.Mul_(high - low).Add_(low);
    }
}
