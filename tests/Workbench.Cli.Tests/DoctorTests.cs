// `workbench doctor` as a user on a cloud VM reads it: the CPU's vector features, the kernel set
// OpenBLAS runs and who chose it; and a run gets fast kernels where OpenBLAS alone would not.
using Workbench.Torch.Diagnostics;
using Workbench.Torch.Distributed;

namespace Workbench.Cli.Tests;

public sealed class DoctorTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private static bool HasOpenBlas => File.Exists("/usr/lib/x86_64-linux-gnu/libopenblas.so.0") || File.Exists("/usr/lib/libopenblas.so.0");

    private static string Line(CliResult result, string key) =>
        result.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith(key + " ", StringComparison.Ordinal)) ?? $"(no {key} line in: {result.Stdout})";

    // The kernel set this CPU deserves; skips where there is no OpenBLAS or nothing beats Prescott.
    private static string BestKernelsOrSkip()
    {
        Skip.IfNot(HasOpenBlas, "no OpenBLAS installed");
        var best = BlasKernelChoice.BestFor(CpuFeatures.Current.Level);
        Skip.If(best is null, "this CPU has no AVX: Prescott is as good as it gets");
        return best!;
    }

    [Fact]
    public void Doctor_names_the_cpu_features_threads_of_a_run_and_no_thread_warning()
    {
        var result = _cli.Run("doctor");

        Assert.Equal(0, result.ExitCode);
        var cpu = CpuFeatures.Current;
        Assert.Contains(string.Join(' ', cpu.VectorFlags), Line(result, "cpu"));
        // The matmul probe runs with the threads a run gets by default: one per core.
        Assert.StartsWith($"threads      {Environment.ProcessorCount} ", Line(result, "threads"));
        Assert.DoesNotContain("1 thread", result.Stderr);
        Assert.Matches(@"^linear       (oneDNN \d+\.\d+\.\d+ sgemm for float32 Linear layers|libtorch's own at::linear)", Line(result, "linear"));
    }

    [Fact]
    public void Doctor_names_the_data_parallel_backends_this_engine_has()
    {
        var result = _cli.Run("doctor");

        Assert.Equal(0, result.ExitCode);
        var backends = DistributedBackends.Available;
        Assert.StartsWith(backends.Count > 0 ? "distributed  " + string.Join(", ", backends.Select(b => b.Name())) : "distributed  none",
            Line(result, "distributed"));
    }

    [SkippableFact]
    public void Where_openblas_would_pick_old_kernels_the_engine_picks_the_cpus_own()
    {
        var best = BestKernelsOrSkip();
        // A probe that answers as OpenBLAS does on a CPU it does not recognise.
        var probe = _cli.Write("fake-probe", "#!/bin/sh\necho Prescott\n");
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(probe, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        _cli.Environment["WORKBENCH_BLAS_PROBE"] = probe;

        var result = _cli.Run("doctor");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"openblas     {best} kernels, chosen by workbench (OpenBLAS would pick Prescott", Line(result, "openblas"));
        Assert.DoesNotContain("WARNING", result.Stderr);
    }

    [SkippableFact]
    public void Kernels_forced_older_than_the_cpu_are_named_and_warned_about()
    {
        var best = BestKernelsOrSkip();
        _cli.Environment["OPENBLAS_CORETYPE"] = "Prescott";

        var result = _cli.Run("doctor");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Prescott kernels, chosen by environment", Line(result, "openblas"));
        Assert.Contains($"WARNING: OpenBLAS runs its Prescott kernels", result.Stderr);
        Assert.Contains($"set it to {best}", result.Stderr);
    }
}
