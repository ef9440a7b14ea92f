// Finds libworkbench_native.so: WORKBENCH_NATIVE, beside the app, or the repository's build folder;
// and, before it loads libtorch's OpenMP runtime and BLAS, tells that runtime to sleep rather than
// spin and makes sure OpenBLAS picks kernels that fit the CPU (see BlasKernels.cs).
using System.Reflection;
using System.Runtime.InteropServices;
using Workbench.Torch.Diagnostics;

namespace Workbench.Torch.Native;

internal static partial class NativeLibraryLoader
{
    internal const string LibraryName = "workbench_native";
    private const string FileName = "libworkbench_native.so";
    private const string ProbeName = "workbench-blas-probe";

    private static int _registered;

    internal static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName) return IntPtr.Zero;
        PreferSleepingWorkers();
        foreach (var candidate in Candidates())
        {
            if (!File.Exists(candidate)) continue;
            ChooseBlasKernels(Environment.GetEnvironmentVariable("WORKBENCH_BLAS_PROBE")
                              ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(candidate))!, ProbeName));
            if (NativeLibrary.TryLoad(candidate, out var handle)) return handle;
        }
        throw new DllNotFoundException(
            $"{FileName} was not found (looked in: {string.Join(", ", Candidates())}). " +
            "Run `make setup` to build the native shim, or set WORKBENCH_NATIVE to its path.");
    }

    // Idle OpenMP workers spin for about 300k iterations by default, and Debian's libtorch runs its
    // matmuls on OpenBLAS's own pthread pool beside them, so a spinning OpenMP worker takes the core an
    // OpenBLAS worker needs. An MNIST MLP step on 2 threads of a 2-core machine measured 5.7-8.2 ms
    // spinning and 2.0-2.4 ms passive. libgomp reads OMP_WAIT_POLICY once, when it is loaded (with the
    // shim), so it is set here, in the native environment (.NET's Environment keeps its own copy), and
    // never over a value the user chose. (Threads = 1 has no OpenMP workers, so it is unaffected.)
    private static void PreferSleepingWorkers()
    {
        if (OperatingSystem.IsWindows()) return;
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null && Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is null)
            _ = setenv("OMP_WAIT_POLICY", "PASSIVE", overwrite: 0);
        // OpenBLAS's own idle workers spin on sched_yield for 2^28 cycles (a tenth of a second) before
        // they sleep, so between two matrix products they take the cores ATen's element-wise kernels
        // run on: perf showed a quarter of a small GPT's training time in sched_yield. 2^18 cycles (about
        // 0.1 ms) still covers the gap between back-to-back products; measured on 2 cores, a char GPT
        // step 102-106 -> 85-89 ms, the MNIST MLP step unchanged. OpenBLAS reads it once, when it loads.
        if (Environment.GetEnvironmentVariable("OPENBLAS_THREAD_TIMEOUT") is null && Environment.GetEnvironmentVariable("GOTO_THREAD_TIMEOUT") is null)
            _ = setenv("OPENBLAS_THREAD_TIMEOUT", "18", overwrite: 0);
    }

    // OpenBLAS reads OPENBLAS_CORETYPE once, when libtorch loads it; set in the native environment
    // only when the user has not set it and OpenBLAS would settle for kernels older than the CPU's.
    // The probe sits beside the shim; WORKBENCH_BLAS_PROBE names another (the tests fake one).
    private static void ChooseBlasKernels(string probePath)
    {
        if (BlasKernelChoice.Current != null || !OperatingSystem.IsLinux()) return;
        var user = NativeVariable(BlasKernelChoice.Variable);
        var cpu = CpuFeatures.Current;
        var openBlas = string.IsNullOrEmpty(user) && BlasKernelChoice.BestFor(cpu.Level) != null
            ? BlasKernelChoice.ProbeOpenBlas(probePath)
            : null;
        var choice = BlasKernelChoice.Decide(cpu, user, openBlas);
        if (choice.Source == KernelSource.Workbench) _ = setenv(BlasKernelChoice.Variable, choice.Chosen!, overwrite: 1);
        BlasKernelChoice.Current = choice;
    }

    /// <summary>A variable as native code (libgomp, OpenBLAS) sees it, which may differ from .NET's copy.</summary>
    internal static string? NativeVariable(string name) => Marshal.PtrToStringUTF8(getenv(name));

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getenv(string name);

    private static IEnumerable<string> Candidates()
    {
        var fromEnv = Environment.GetEnvironmentVariable("WORKBENCH_NATIVE");
        if (!string.IsNullOrEmpty(fromEnv)) yield return fromEnv;
        yield return Path.Combine(AppContext.BaseDirectory, FileName);
        // Development layout: walk up to the repository root and use its build folder.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "build", "native", FileName);
            if (File.Exists(path)) { yield return path; yield break; }
        }
    }
}
