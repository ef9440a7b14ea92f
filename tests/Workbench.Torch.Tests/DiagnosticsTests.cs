// The engine report behind `workbench doctor`: version, BLAS detection, threads, the matmul probe.
using Workbench.Torch.Diagnostics;
using Workbench.Torch.Native;

namespace Workbench.Torch.Tests;

public sealed class DiagnosticsTests
{
    [Fact]
    public void The_report_names_the_version_the_loaded_blas_and_a_positive_matmul_rate()
    {
        var report = EngineDiagnostics.Collect(matmulSize: 128, repetitions: 1);

        Assert.Equal(Torch.Version, report.TorchVersion);
        Assert.False(string.IsNullOrWhiteSpace(report.BuildConfig));
        Assert.NotNull(report.Blas.Path);
        Assert.True(report.MatmulGflops > 0);
        Assert.Equal(Torch.Threads, report.Threads);
        Assert.Equal(Cuda.IsAvailable, report.CudaAvailable);
    }

    // Where libtorch 1.x has loaded oneDNN (Debian's does, for its convolutions), float32 Linear layers run on
    // its sgemm, and the report says which version; libtorch 2.x keeps its own at::linear.
    [Fact]
    public void The_report_names_onednn_as_the_linear_layers_backend_wherever_libtorch_1_loaded_it()
    {
        var report = EngineDiagnostics.Collect(matmulSize: 64, repetitions: 1);

        var onednnLoaded = File.ReadAllText("/proc/self/maps").Contains("/libdnnl.so.2");
        var expected = !Torch.HasTorch2 && onednnLoaded && Environment.GetEnvironmentVariable("WORKBENCH_ONEDNN") != "0";
        Assert.Equal(expected, report.LinearBackend is not null);
        if (report.LinearBackend is { } version) Assert.Matches(@"^\d+\.\d+\.\d+$", version);
    }

    [SkippableFact]
    public void Setting_the_threads_sizes_the_openblas_pool_too()
    {
        Skip.If(Torch.BlasThreads is null, "this libtorch does not use OpenBLAS");
        var previous = Torch.Threads;
        try
        {
            Torch.Threads = 1;
            Assert.Equal((1, 1), (Torch.Threads, Torch.BlasThreads));

            Torch.Threads = 2;
            Assert.Equal((2, 2), (Torch.Threads, Torch.BlasThreads));
        }
        finally
        {
            Torch.Threads = previous;
        }
    }

    [SkippableFact]
    public void The_openmp_runtime_is_told_to_let_idle_workers_sleep_unless_the_user_chose()
    {
        Skip.If(OperatingSystem.IsWindows(), "libgomp is a Unix concern here");
        var chosen = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? Environment.GetEnvironmentVariable("GOMP_SPINCOUNT");

        _ = Torch.Version;   // loads the shim, and with it libgomp

        if (chosen is null) Assert.Equal("PASSIVE", NativeLibraryLoader.NativeVariable("OMP_WAIT_POLICY"));
        else Assert.Equal(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY"), NativeLibraryLoader.NativeVariable("OMP_WAIT_POLICY"));
    }

    [SkippableFact]
    public void Openblas_workers_spin_briefly_before_sleeping_unless_the_user_chose()
    {
        Skip.If(OperatingSystem.IsWindows(), "OpenBLAS's pthread pool is a Unix concern here");
        var chosen = Environment.GetEnvironmentVariable("OPENBLAS_THREAD_TIMEOUT") ?? Environment.GetEnvironmentVariable("GOTO_THREAD_TIMEOUT");

        _ = Torch.Version;   // loads the shim, and with it OpenBLAS

        Assert.Equal(chosen is null ? "18" : Environment.GetEnvironmentVariable("OPENBLAS_THREAD_TIMEOUT"),
            NativeLibraryLoader.NativeVariable("OPENBLAS_THREAD_TIMEOUT"));
    }

    [Fact]
    public void Debian_alternatives_paths_name_openblas_or_the_slow_reference_blas()
    {
        var openblas = BlasLibrary.FromMappedPaths(
            ["/usr/lib/x86_64-linux-gnu/libtorch_cpu.so.1.13", "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0"]);
        var reference = BlasLibrary.FromMappedPaths(["/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0"]);
        var mkl = BlasLibrary.FromMappedPaths(["/opt/intel/lib/libmkl_rt.so.2"]);

        Assert.Equal(("OpenBLAS", false), (openblas.Name, openblas.IsReference));
        Assert.Equal(("reference BLAS (netlib)", true), (reference.Name, reference.IsReference));
        Assert.Equal("Intel MKL", mkl.Name);
    }

    [Fact]
    public void Running_on_the_reference_blas_is_a_loud_warning()
    {
        var report = EngineDiagnostics.Collect(matmulSize: 64, repetitions: 1);

        Assert.Equal(report.Blas.IsReference, report.Warnings.Any(w => w.Contains("reference BLAS") && w.Contains("libopenblas0-pthread")));
    }
}
