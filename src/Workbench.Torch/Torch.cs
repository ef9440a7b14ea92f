// The engine's process-wide state: version, build, threads, seeding and CUDA devices.
using Workbench.Torch.Native;

namespace Workbench.Torch;

public static unsafe class Torch
{
    /// <summary>libtorch's version string, as it reports it (for example 1.13.0 or 2.11.0).</summary>
    public static string Version => NativeMethods.ReadString(NativeMethods.wb_version, "version");

    /// <summary>libtorch's build configuration (at::show_config).</summary>
    public static string BuildConfig => NativeMethods.ReadString(NativeMethods.wb_build_config, "build_config");

    /// <summary>Whether the shim was built against libtorch 2 or later (fused attention and friends).</summary>
    public static bool HasTorch2 => NativeMethods.wb_has_torch2() != 0;

    /// <summary>
    /// Intra-op CPU threads, for ATen's kernels and OpenBLAS's matrix products alike. Debian's libtorch
    /// starts with 1 (and OpenBLAS with one per core); the runner sets the spec's threads or the core count.
    /// </summary>
    public static int Threads
    {
        get { NativeMethods.Check(NativeMethods.wb_get_num_threads(out var n), "get_num_threads"); return (int)n; }
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "threads must be at least 1");
            NativeMethods.Check(NativeMethods.wb_set_num_threads(value), "set_num_threads");
        }
    }

    /// <summary>OpenBLAS's worker threads (which <see cref="Threads"/> sets too), or null without OpenBLAS.</summary>
    public static int? BlasThreads
    {
        get { NativeMethods.Check(NativeMethods.wb_get_blas_threads(out var n), "get_blas_threads"); return n < 0 ? null : (int)n; }
    }

    /// <summary>The kernel set OpenBLAS runs on ("Haswell", "SkylakeX"...), or null without OpenBLAS.</summary>
    public static string? BlasCore
    {
        get
        {
            var name = NativeMethods.ReadString(NativeMethods.wb_blas_corename, "blas_corename").Trim();
            return name.Length == 0 ? null : name;
        }
    }

    /// <summary>
    /// The oneDNN version float32 Linear layers run on, on the CPU of a libtorch 1.x (Debian's), or null when
    /// they run on libtorch's own at::linear (libtorch 2.x, no oneDNN loaded, or WORKBENCH_ONEDNN=0).
    /// </summary>
    public static string? LinearBackend
    {
        get
        {
            var version = NativeMethods.ReadString(NativeMethods.wb_linear_backend, "linear_backend").Trim();
            return version.Length == 0 ? null : version;
        }
    }

    /// <summary>The intra-op threads a run gets unless its spec says otherwise: one per core.</summary>
    public static int DefaultThreads => Environment.ProcessorCount;

    /// <summary>Seeds the CPU generator and every CUDA generator.</summary>
    public static void ManualSeed(long seed) => NativeMethods.Check(NativeMethods.wb_manual_seed(seed), "manual_seed");
}

/// <summary>CUDA devices as libtorch sees them.</summary>
public static unsafe class Cuda
{
    public static int DeviceCount
    {
        get { NativeMethods.Check(NativeMethods.wb_cuda_device_count(out var n), "cuda_device_count"); return (int)n; }
    }

    public static bool IsAvailable => DeviceCount > 0;

    public static string DeviceName(int index) =>
        NativeMethods.ReadString((byte* b, long c, out long l) => NativeMethods.wb_cuda_device_name(index, b, c, out l), "cuda_device_name");

    public static (long Total, long Allocated, long Peak) Memory(int index = 0)
    {
        NativeMethods.Check(NativeMethods.wb_cuda_memory(index, out var total, out var allocated, out var peak), "cuda_memory");
        return (total, allocated, peak);
    }

    public static void ResetPeakMemory(int index = 0) => NativeMethods.Check(NativeMethods.wb_cuda_reset_peak(index), "cuda_reset_peak");

    public static void Synchronize(int index = 0) => NativeMethods.Check(NativeMethods.wb_cuda_synchronize(index), "cuda_synchronize");
}
