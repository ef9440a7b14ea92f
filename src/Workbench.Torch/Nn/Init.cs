// Parameter initialisers (torch.nn.init): each fills a tensor in place, outside autograd, drawing from
// the global generator (seeded by Torch.ManualSeed), with torch.nn.init's formulas for bounds and std.
namespace Workbench.Torch.Nn;

/// <summary>The activation that follows a layer, which sets the gain of Kaiming and Xavier initialisation.</summary>
public enum Nonlinearity { Linear, Sigmoid, Tanh, Relu, LeakyRelu, Selu }

/// <summary>Whether Kaiming initialisation preserves the variance of activations (FanIn) or of gradients (FanOut).</summary>
public enum FanMode { FanIn, FanOut }

public static class Init
{
    /// <summary>A new tensor uniform on [low, high), drawn as PyTorch's uniform_ draws it.</summary>
    public static Tensor Uniform(long[] shape, double low, double high, ScalarType dtype = ScalarType.Float32)
    {
        var t = Tensor.Empty(shape, dtype);
        return Uniform_(t, low, high);
    }

    public static Tensor Uniform_(Tensor tensor, double low = 0, double high = 1)
    {
        using var noGrad = new NoGrad();
        return tensor.Uniform_(low, high);
    }

    public static Tensor Normal_(Tensor tensor, double mean = 0, double std = 1)
    {
        using var noGrad = new NoGrad();
        return tensor.Normal_(mean, std);
    }

    public static Tensor Constant_(Tensor tensor, double value)
    {
        using var noGrad = new NoGrad();
        return tensor.Fill_(value);
    }

    public static Tensor Zeros_(Tensor tensor) => Constant_(tensor, 0);

    public static Tensor Ones_(Tensor tensor) => Constant_(tensor, 1);

    /// <summary>
    /// He initialisation, uniform: U(-b, b) with b = gain * sqrt(3 / fan). <paramref name="negativeSlope"/>
    /// is leaky ReLU's slope (PyTorch's <c>a</c>); nn.Linear's default is a = sqrt(5) with LeakyRelu.
    /// </summary>
    public static Tensor KaimingUniform_(Tensor tensor, double negativeSlope = 0, FanMode mode = FanMode.FanIn,
                                         Nonlinearity nonlinearity = Nonlinearity.LeakyRelu)
    {
        var bound = Math.Sqrt(3.0) * KaimingStd(tensor, negativeSlope, mode, nonlinearity);
        return Uniform_(tensor, -bound, bound);
    }

    /// <summary>He initialisation, normal: N(0, std²) with std = gain / sqrt(fan).</summary>
    public static Tensor KaimingNormal_(Tensor tensor, double negativeSlope = 0, FanMode mode = FanMode.FanIn,
                                        Nonlinearity nonlinearity = Nonlinearity.LeakyRelu) =>
        Normal_(tensor, 0, KaimingStd(tensor, negativeSlope, mode, nonlinearity));

    /// <summary>Glorot initialisation, uniform: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)).</summary>
    public static Tensor XavierUniform_(Tensor tensor, double gain = 1)
    {
        var bound = Math.Sqrt(3.0) * XavierStd(tensor, gain);
        return Uniform_(tensor, -bound, bound);
    }

    /// <summary>Glorot initialisation, normal: N(0, std²) with std = gain * sqrt(2 / (fan_in + fan_out)).</summary>
    public static Tensor XavierNormal_(Tensor tensor, double gain = 1) => Normal_(tensor, 0, XavierStd(tensor, gain));

    /// <summary>
    /// The recommended gain for a nonlinearity (torch.nn.init.calculate_gain). <paramref name="negativeSlope"/>
    /// is read only for LeakyRelu, where null means PyTorch's default slope of 0.01.
    /// </summary>
    public static double Gain(Nonlinearity nonlinearity, double? negativeSlope = null) => nonlinearity switch
    {
        Nonlinearity.Linear or Nonlinearity.Sigmoid => 1.0,
        Nonlinearity.Tanh => 5.0 / 3,
        Nonlinearity.Relu => Math.Sqrt(2.0),
        Nonlinearity.LeakyRelu => Math.Sqrt(2.0 / (1 + Math.Pow(negativeSlope ?? 0.01, 2))),
        Nonlinearity.Selu => 3.0 / 4,
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "unknown nonlinearity"),
    };

    /// <summary>
    /// Fan-in and fan-out of a weight shaped (out, in, *kernel): in * prod(kernel) and out * prod(kernel).
    /// </summary>
    public static (long FanIn, long FanOut) Fans(long[] shape)
    {
        if (shape.Length < 2)
            throw new ArgumentException(
                $"fan in and fan out need a tensor of at least 2 dims (out, in, ...), got shape [{string.Join(", ", shape)}]");
        long receptiveField = 1;
        for (var i = 2; i < shape.Length; i++) receptiveField *= shape[i];
        return (shape[1] * receptiveField, shape[0] * receptiveField);
    }

    private static double KaimingStd(Tensor tensor, double negativeSlope, FanMode mode, Nonlinearity nonlinearity)
    {
        var (fanIn, fanOut) = Fans(tensor.Shape);
        var fan = mode == FanMode.FanIn ? fanIn : fanOut;
        return Gain(nonlinearity, negativeSlope) / Math.Sqrt(fan);
    }

    private static double XavierStd(Tensor tensor, double gain)
    {
        var (fanIn, fanOut) = Fans(tensor.Shape);
        return gain * Math.Sqrt(2.0 / (fanIn + fanOut));
    }
}
