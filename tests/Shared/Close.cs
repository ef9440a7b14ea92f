// The one comparison of tensors against reference values, as torch.testing.assert_close makes it:
// |actual - expected| <= atol + rtol * |expected| element-wise, with defaults that follow the dtype.
// float32 sums round differently under another BLAS kernel (another CPU, another OpenBLAS core type),
// so a tolerance tighter than the dtype's only passes on the machine that wrote the fixture; `make
// test` runs the parity suites under several kernel sets to catch one. Integer and bool tensors
// compare exactly. A test passes an explicit tolerance only where it says why (autocast, fp16...).
using Workbench.Torch;

namespace Workbench.Tests;

internal static class Close
{
    /// <summary>torch.testing's default (rtol, atol) for a dtype; (0, 0) for exact types.</summary>
    public static (double Rtol, double Atol) DefaultsFor(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => (1e-7, 1e-7),
        ScalarType.Float32 => (1.3e-6, 1e-5),
        ScalarType.Float16 => (1e-3, 1e-5),
        ScalarType.BFloat16 => (1.6e-2, 1e-5),
        _ => (0, 0),
    };

    /// <summary>Same shape and dtype, and every element within tolerance; the failure names what, where and by how much.</summary>
    public static void Assert(Tensor expected, Tensor actual, string what, double? rtol = null, double? atol = null)
    {
        Xunit.Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{what}: shape [{string.Join(", ", actual.Shape)}], expected [{string.Join(", ", expected.Shape)}]");
        Xunit.Assert.True(expected.DType == actual.DType, $"{what}: dtype {actual.DType}, expected {expected.DType}");
        var defaults = DefaultsFor(expected.DType);
        using var e = expected.To(ScalarType.Float64, Device.Cpu);
        using var a = actual.To(ScalarType.Float64, Device.Cpu);
        Values(e.ToArray<double>(), a.ToArray<double>(), what, rtol ?? defaults.Rtol, atol ?? defaults.Atol);
    }

    /// <summary>The same rule over plain arrays (values read out of tensors), at float32's defaults unless told.</summary>
    public static void Values(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what, double rtol = 1.3e-6, double atol = 1e-5)
    {
        Xunit.Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            double e = expected[i], a = actual[i];
            if (e == a) continue;   // exact, and equal infinities
            var limit = atol + rtol * Math.Abs(e);
            if (!(Math.Abs(a - e) <= limit))
                Xunit.Assert.Fail($"{what}[{i}]: expected {e:R}, got {a:R} (|diff| {Math.Abs(a - e):G3} > {limit:G3})");
        }
    }
}
