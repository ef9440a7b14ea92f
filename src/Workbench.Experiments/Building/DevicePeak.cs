// The peak FLOP/s that MFU is measured against: the data-sheet bf16 dense figure on known GPUs, and a
// short matmul probe on the CPU (measured once per process).
using Workbench.Torch;
using Workbench.Torch.Diagnostics;

namespace Workbench.Experiments.Building;

public static class DevicePeak
{
    private static readonly Lazy<double> CpuProbe = new(() => EngineDiagnostics.MatmulGflops(512, 3) * 1e9);

    /// <summary>FLOP/s, or 0 when unknown (then no mfu is logged).</summary>
    public static double FlopsPerSecond(Device device)
    {
        if (!device.IsCuda) return CpuProbe.Value;
        var name = Cuda.DeviceName(Math.Max(0, device.Index));
        if (name.Contains("H100", StringComparison.Ordinal) || name.Contains("H200", StringComparison.Ordinal)) return 989.5e12;
        if (name.Contains("A100", StringComparison.Ordinal)) return 312e12;
        return 0;
    }
}
