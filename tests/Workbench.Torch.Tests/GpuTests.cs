// CUDA checks (Category=GPU): the same GpuChecks that `workbench doctor --check` runs; skipped without CUDA.
using Workbench.Torch.Diagnostics;

namespace Workbench.Torch.Tests;

public sealed class GpuTests
{
    [SkippableFact]
    [Trait("Category", "GPU")]
    public void Every_cuda_check_passes()
    {
        Skip.IfNot(Cuda.IsAvailable, "no CUDA device");
        var before = TensorCensus.Take();

        var checks = GpuChecks.Run();

        Assert.Equal(before, TensorCensus.Take());
        Assert.All(checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
    }

    [SkippableFact]
    [Trait("Category", "GPU")]
    public void Fp16_layers_run_on_cuda_and_stay_close_to_fp32()
    {
        Skip.IfNot(Cuda.IsAvailable, "no CUDA device");
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([2, 3, 8, 8]);
        var w = Tensor.Randn([4, 3, 3, 3]);
        var expected = Functional.MaxPool2d(Functional.Conv2d(x, w, padding: 1), 2);
        var half = Functional.MaxPool2d(Functional.Conv2d(x.To(ScalarType.Float16, Device.Cuda()), w.To(ScalarType.Float16, Device.Cuda()), padding: 1), 2);
        var logits = Tensor.Randn([4, 5], ScalarType.Float16, Device.Cuda());

        var loss = Functional.CrossEntropy(logits, Tensor.From([0L, 1L, 2L, 3L]).To(Device.Cuda()));

        // fp16 (10-bit mantissa) against a float32 reference, over 27-term sums: a few fp16 ulps.
        Close.Assert(expected, half.To(ScalarType.Float32, Device.Cpu), "fp16 conv on cuda", rtol: 5e-2, atol: 5e-2);
        Assert.True(double.IsFinite(loss.Item()));
    }

    [Fact]
    public void Without_cuda_the_checks_report_one_failure_instead_of_throwing()
    {
        if (Cuda.IsAvailable) return;

        var checks = GpuChecks.Run();

        Assert.Equal([new GpuCheck("cuda available", false, "libtorch sees no CUDA device")], checks);
    }
}
