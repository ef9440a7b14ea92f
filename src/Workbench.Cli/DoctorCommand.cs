// `workbench doctor [--check]`: the engine (libtorch version, build, the BLAS actually loaded, what Linear layers run on, threads,
// a matmul probe), CUDA devices, the data-parallel backends, and where the database and data cache are. --check runs the GPU checks.
using System.CommandLine;
using System.Globalization;
using Workbench.Data;
using Workbench.Torch.Diagnostics;
using Workbench.Torch.Distributed;

namespace Workbench.Cli;

internal static class DoctorCommand
{
    public static Command Create()
    {
        var check = new Option<bool>("--check") { Description = "run the CUDA checks the GPU tests run (exit 1 if one fails)" };
        var command = new Command("doctor", "check the engine, BLAS, devices and paths") { check };
        command.SetAction(parse => Commands.Guard(() =>
        {
            var report = EngineDiagnostics.Collect();
            var o = Console.Out;
            o.WriteLine($"libtorch     {report.TorchVersion}{(report.HasTorch2 ? "" : " (1.x: fused attention falls back to the manual path)")}");
            o.WriteLine($"cpu          {report.Cpu.Model}; {string.Join(' ', report.Cpu.VectorFlags)}");
            o.WriteLine($"BLAS         {report.Blas.Name}{(report.Blas.Path is { } path ? $" ({path})" : "")}");
            if (report.BlasCore is { } core)
                o.WriteLine($"openblas     {core} kernels, chosen by {Describe(report.KernelChoice)}");
            o.WriteLine("linear       " + (report.LinearBackend is { } onednn
                ? $"oneDNN {onednn} sgemm for float32 Linear layers on the CPU (WORKBENCH_ONEDNN=0: libtorch's own)"
                : "libtorch's own at::linear"));
            o.WriteLine($"threads      {report.Threads} (cores: {Environment.ProcessorCount})");
            o.WriteLine($"matmul       {report.MatmulGflops.ToString("0.0", CultureInfo.InvariantCulture)} GFLOP/s ({report.MatmulSize}^3 fp32)");
            o.WriteLine($"CUDA         {(report.CudaAvailable ? $"{report.CudaDevices.Count} device(s)" : "not available")}");
            foreach (var d in report.CudaDevices)
                o.WriteLine($"  cuda:{d.Index}     {d.Name}, {(d.TotalMemoryBytes / 1073741824.0).ToString("0.0", CultureInfo.InvariantCulture)} GiB");
            o.WriteLine("distributed  " + (report.DistributedBackends.Count > 0
                ? string.Join(", ", report.DistributedBackends.Select(b => b.Name())) + " (run --nproc N)"
                : "none: this engine was built without c10d (Debian: install libgloo-dev and rebuild the shim)"));
            o.WriteLine($"database     {Commands.Store(parse).Display}");
            o.WriteLine($"data cache   {DataCache.Default().Root}");
            o.WriteLine("build        " + report.BuildConfig.ReplaceLineEndings(" ").Trim()[..Math.Min(200, report.BuildConfig.Trim().Length)]);
            foreach (var warning in report.Warnings) Console.Error.WriteLine($"WARNING: {warning}");
            if (!parse.GetValue(check)) return ExitCodes.Done;
            if (!report.CudaAvailable)
            {
                o.WriteLine("checks       skipped: no CUDA device");
                return ExitCodes.Done;
            }
            var failed = 0;
            foreach (var c in GpuChecks.Run())
            {
                o.WriteLine($"  {(c.Passed ? "ok  " : "FAIL")} {c.Name}: {c.Detail}");
                if (!c.Passed) failed++;
            }
            return failed == 0 ? ExitCodes.Done : ExitCodes.Failed;
        }));
        return command;
    }

    private static string Describe(BlasKernelChoice? choice) => choice?.Source switch
    {
        KernelSource.Environment => $"environment ({choice.Reason})",
        KernelSource.Workbench => $"workbench ({choice.Reason})",
        KernelSource.OpenBlas => $"OpenBLAS ({choice.Reason})",
        _ => "OpenBLAS",
    };
}
