// Checks that CUDA works end to end: shared by the GPU-tagged tests and `workbench doctor --check`.
// Each check runs on its own and reports what it saw; an exception is a failed check, never a crash.
namespace Workbench.Torch.Diagnostics;

public sealed record GpuCheck(string Name, bool Passed, string Detail);

public static class GpuChecks
{
    /// <summary>Runs every check on <paramref name="deviceIndex"/>; without CUDA, one failed check says so.</summary>
    public static IReadOnlyList<GpuCheck> Run(int deviceIndex = 0)
    {
        if (!Cuda.IsAvailable) return [new GpuCheck("cuda available", false, "libtorch sees no CUDA device")];
        var cuda = Device.Cuda(deviceIndex);
        return
        [
            Check("tensor round trip", () => RoundTrip(cuda)),
            Check("matmul fp32 matches cpu", () => MatmulMatchesCpu(cuda, ScalarType.Float32, 1e-3)),
            Check("matmul fp16 matches cpu", () => MatmulMatchesCpu(cuda, ScalarType.Float16, 2e-2)),
            Check("matmul bf16 matches cpu", () => MatmulMatchesCpu(cuda, ScalarType.BFloat16, 5e-2)),
            Check("softmax and layer norm in fp16", () => HalfOps(cuda)),
            Check("attention fused matches written out", () => AttentionMatches(cuda)),
            Check("bf16 autocast on cuda", () => AutocastBf16(cuda)),
            Check("backward on cuda", () => Backward(cuda)),
            Check("memory stats", () => MemoryStats(deviceIndex, cuda)),
        ];
    }

    private static GpuCheck Check(string name, Func<(bool Passed, string Detail)> run)
    {
        try
        {
            using var scope = TensorScope.Begin();
            var (passed, detail) = run();
            return new GpuCheck(name, passed, detail);
        }
        catch (Exception e) when (e is TorchException or ArgumentException or InvalidOperationException)
        {
            return new GpuCheck(name, false, e.Message);
        }
    }

    private static (bool, string) RoundTrip(Device cuda)
    {
        float[] values = [1.5f, -2f, 3.25f, 0f];
        var back = Tensor.From(values, 2, 2).To(cuda).To(Device.Cpu).ToArray<float>();
        return (back.SequenceEqual(values), $"[{string.Join(", ", back)}]");
    }

    // (256, 256) x (256, 256): relative max error against the fp32 CPU product.
    private static (bool, string) MatmulMatchesCpu(Device cuda, ScalarType dtype, double tolerance)
    {
        var a = Tensor.Randn([256, 256]);
        var b = Tensor.Randn([256, 256]);
        var expected = a.Matmul(b);
        var actual = a.To(dtype, cuda).Matmul(b.To(dtype, cuda)).To(ScalarType.Float32, Device.Cpu);
        var error = RelativeError(actual, expected);
        return (error <= tolerance, $"relative max error {error:G3} (tolerance {tolerance:G3})");
    }

    private static (bool, string) HalfOps(Device cuda)
    {
        var x = Tensor.Randn([8, 64]);
        var expected = Functional.LayerNorm(x, [64]).Softmax(-1);
        var actual = Functional.LayerNorm(x.To(ScalarType.Float16, cuda), [64]).Softmax(-1).To(ScalarType.Float32, Device.Cpu);
        var error = RelativeError(actual, expected);
        return (error <= 2e-2, $"relative max error {error:G3}");
    }

    private static (bool, string) AttentionMatches(Device cuda)
    {
        var q = Tensor.Randn([2, 4, 16, 32], ScalarType.Float16, cuda);
        var k = Tensor.Randn([2, 4, 16, 32], ScalarType.Float16, cuda);
        var v = Tensor.Randn([2, 4, 16, 32], ScalarType.Float16, cuda);
        var fused = Functional.ScaledDotProductAttention(q, k, v, isCausal: true).To(ScalarType.Float32);
        var byHand = Functional.Attention(q, k, v, null, 0, true, byHand: true).To(ScalarType.Float32);
        var error = RelativeError(fused, byHand);
        return (error <= 2e-2, $"relative max error {error:G3} ({(Torch.HasTorch2 ? "fused kernel" : "torch < 2: both written out")})");
    }

    // A float32 linear inside a bf16 autocast region: bfloat16 out, close to the CPU's float32, and a
    // float32 gradient for the float32 weight once backward runs after the region.
    private static (bool, string) AutocastBf16(Device cuda)
    {
        var x = Tensor.Randn([64, 128]);
        var w = Tensor.Randn([32, 128]);
        var expected = Functional.Linear(x, w);
        var weight = w.To(cuda).RequiresGrad_();
        Tensor y;
        using (new Autocast(cuda, ScalarType.BFloat16)) y = Functional.Linear(x.To(cuda), weight);
        y.Sum().Backward();
        var error = RelativeError(y.To(ScalarType.Float32, Device.Cpu), expected);
        var gradType = weight.Grad()!.DType;
        var passed = y.DType == ScalarType.BFloat16 && gradType == ScalarType.Float32 && error <= 5e-2;
        return (passed, $"output {y.DType.TorchName()}, weight grad {gradType.TorchName()}, relative max error {error:G3}");
    }

    private static (bool, string) Backward(Device cuda)
    {
        var x = Tensor.From([1f, -2f, 3f]).To(cuda).RequiresGrad_();
        (x * x).Sum().Backward();
        var grad = x.Grad()!.To(Device.Cpu).ToArray<float>();
        return (grad.SequenceEqual([2f, -4f, 6f]), $"grad [{string.Join(", ", grad)}]");
    }

    private static (bool, string) MemoryStats(int index, Device cuda)
    {
        Cuda.ResetPeakMemory(index);
        var big = Tensor.Zeros([1024, 1024], ScalarType.Float32, cuda);  // 4 MiB
        Cuda.Synchronize(index);
        var (total, allocated, peak) = Cuda.Memory(index);
        var passed = total > 0 && allocated >= 4 << 20 && peak >= allocated;
        big.Dispose();
        return (passed, $"total {total >> 20} MiB, allocated {allocated >> 20} MiB, peak {peak >> 20} MiB");
    }

    // max |actual - expected| / max |expected|
    private static double RelativeError(Tensor actual, Tensor expected)
    {
        var diff = (actual - expected).Abs().Max().Item();
        var scale = expected.Abs().Max().Item();
        return diff / Math.Max(scale, 1e-12);
    }
}
