// What `workbench doctor` reports about the engine: libtorch version and build, the BLAS in use,
// threads, a short matmul probe, and the CUDA devices.
using System.Diagnostics;

namespace Workbench.Torch.Diagnostics;

public sealed record CudaDeviceInfo(int Index, string Name, long TotalMemoryBytes);

public sealed record EngineReport(
    string TorchVersion,
    bool HasTorch2,
    string BuildConfig,
    BlasLibrary Blas,
    int Threads,
    double MatmulGflops,
    int MatmulSize,
    bool CudaAvailable,
    IReadOnlyList<CudaDeviceInfo> CudaDevices,
    IReadOnlyList<string> Warnings);

public static class EngineDiagnostics
{
    /// <summary>Collects the report; the matmul probe takes well under a second with a real BLAS.</summary>
    public static EngineReport Collect(int matmulSize = 512, int repetitions = 3)
    {
        var version = Torch.Version;
        var blas = BlasLibrary.Detect();
        var gflops = MatmulGflops(matmulSize, repetitions);
        var devices = new List<CudaDeviceInfo>();
        for (var i = 0; i < Cuda.DeviceCount; i++) devices.Add(new CudaDeviceInfo(i, Cuda.DeviceName(i), Cuda.Memory(i).Total));

        var warnings = new List<string>();
        if (blas.IsReference)
            warnings.Add($"libtorch is running on the reference BLAS ({blas.Path}), about 40x slower for matmul: " +
                         "install libopenblas0-pthread (sudo apt-get install libopenblas0-pthread)");
        var threads = Torch.Threads;
        if (threads == 1 && Environment.ProcessorCount > 1)
            warnings.Add($"libtorch uses 1 thread of {Environment.ProcessorCount} cores (set Torch.Threads or the spec's threads)");
        return new EngineReport(version, Torch.HasTorch2, Torch.BuildConfig, blas, threads, gflops, matmulSize,
            devices.Count > 0, devices, warnings);
    }

    /// <summary>fp32 n x n x n matmul throughput on the CPU, best of <paramref name="repetitions"/> after one warm-up.</summary>
    public static double MatmulGflops(int n, int repetitions)
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.Randn([n, n]);
        var b = Tensor.Randn([n, n]);
        a.Matmul(b).Dispose();
        var best = double.MaxValue;
        for (var i = 0; i < repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            a.Matmul(b).Dispose();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }
}
