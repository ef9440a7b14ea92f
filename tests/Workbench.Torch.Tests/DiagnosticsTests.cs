// The engine report behind `workbench doctor`: version, BLAS detection, threads, the matmul probe.
using Workbench.Torch.Diagnostics;

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
