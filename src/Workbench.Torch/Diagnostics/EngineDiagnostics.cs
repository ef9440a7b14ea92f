// What `workbench doctor` reports about the engine: libtorch version and build, the CPU's vector
// features, the BLAS in use and its kernel set, what Linear layers run on, threads, a short matmul probe, the CUDA devices, and
// the data-parallel backends the shim was built with.
using System.Diagnostics;
using Workbench.Torch.Distributed;

namespace Workbench.Torch.Diagnostics;

public sealed record CudaDeviceInfo(int Index, string Name, long TotalMemoryBytes);

public sealed record EngineReport(
    string TorchVersion,
    bool HasTorch2,
    string BuildConfig,
    BlasLibrary Blas,
    CpuFeatures Cpu,
    string? BlasCore,
    BlasKernelChoice? KernelChoice,
    string? LinearBackend,
    int Threads,
    double MatmulGflops,
    int MatmulSize,
    bool CudaAvailable,
    IReadOnlyList<CudaDeviceInfo> CudaDevices,
    IReadOnlyList<DistributedBackend> DistributedBackends,
    IReadOnlyList<string> Warnings);

public static class EngineDiagnostics
{
    /// <summary>
    /// Collects the report under the threads a run gets by default (one per core), so the matmul probe
    /// measures what a run would; it takes well under a second with a real BLAS.
    /// </summary>
    public static EngineReport Collect(int matmulSize = 512, int repetitions = 3)
    {
        var version = Torch.Version;
        Torch.Threads = Torch.DefaultThreads;
        var blas = BlasLibrary.Detect();
        var cpu = CpuFeatures.Current;
        var core = Torch.BlasCore;
        var gflops = MatmulGflops(matmulSize, repetitions);
        var devices = new List<CudaDeviceInfo>();
        for (var i = 0; i < Cuda.DeviceCount; i++) devices.Add(new CudaDeviceInfo(i, Cuda.DeviceName(i), Cuda.Memory(i).Total));

        var warnings = new List<string>();
        if (blas.IsReference)
            warnings.Add($"libtorch is running on the reference BLAS ({blas.Path}), about 40x slower for matmul: " +
                         "install libopenblas0-pthread (sudo apt-get install libopenblas0-pthread)");
        if (SlowKernelsWarning(cpu, core) is { } slow) warnings.Add(slow);
        var threads = Torch.Threads;
        return new EngineReport(version, Torch.HasTorch2, Torch.BuildConfig, blas, cpu, core, BlasKernelChoice.Current,
            Torch.LinearBackend, threads, gflops, matmulSize, devices.Count > 0, devices, Distributed.DistributedBackends.Available, warnings);
    }

    /// <summary>A warning when OpenBLAS runs kernels for a narrower vector unit than the CPU has, else null.</summary>
    public static string? SlowKernelsWarning(CpuFeatures cpu, string? core)
    {
        if (core is null || BlasKernelChoice.LevelOf(core) is not { } level || level >= cpu.Level) return null;
        var best = BlasKernelChoice.BestFor(cpu.Level);
        return $"OpenBLAS runs its {core} kernels ({level.Display()}) on a CPU with {cpu.Level.Display()}: matrix products run at a fraction of the speed the CPU allows. " +
               $"Unset OPENBLAS_CORETYPE (the engine then picks {best}) or set it to {best}";
    }

    /// <summary>
    /// fp32 n x n x n matmul throughput on the CPU, best of <paramref name="repetitions"/> after one warm-up,
    /// measured as a Linear layer's product (x w^T), so on whatever a model's layers run on (<see cref="Torch.LinearBackend"/>).
    /// </summary>
    public static double MatmulGflops(int n, int repetitions)
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.Randn([n, n]);
        var b = Tensor.Randn([n, n]);
        Functional.Linear(a, b).Dispose();
        var best = double.MaxValue;
        for (var i = 0; i < repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            Functional.Linear(a, b).Dispose();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }
}
