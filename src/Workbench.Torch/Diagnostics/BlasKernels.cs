// Which kernel set OpenBLAS runs, and the engine's choice of it. OpenBLAS picks its kernels once,
// when it is loaded, from the CPU's model number; on a CPU it does not know (cloud VMs that hide the
// model are common) Debian's 0.3.21 falls back to "Prescott", SSE3 kernels: a char GPT step measured
// 108 ms there against 47 ms with OPENBLAS_CORETYPE=SkylakeX on the same AVX-512 VM. So before the
// engine loads libtorch it asks OpenBLAS what it would pick (a probe process, as it cannot be asked
// in-process without committing) and, when that is older than the CPU's vector features allow, sets
// OPENBLAS_CORETYPE in the native environment: SkylakeX for any AVX-512 CPU (measured faster than
// Cooperlake and SapphireRapids kernels on a CPU that has BF16 and AMX), Haswell for AVX2 with FMA,
// Sandybridge for AVX. A user's own OPENBLAS_CORETYPE always wins.
using System.Diagnostics;

namespace Workbench.Torch.Diagnostics;

/// <summary>Who decided the kernel set the process runs on.</summary>
public enum KernelSource
{
    /// <summary>The user's OPENBLAS_CORETYPE.</summary>
    Environment,
    /// <summary>The engine set OPENBLAS_CORETYPE because OpenBLAS would have picked older kernels.</summary>
    Workbench,
    /// <summary>OpenBLAS's own detection, which the engine found good enough (or had nothing better for).</summary>
    OpenBlas,
}

/// <summary>The decision taken before libtorch loaded: what OpenBLAS would pick, what was set, and why.</summary>
public sealed record BlasKernelChoice(KernelSource Source, string? OpenBlasDefault, string? Chosen, string Reason)
{
    internal const string Variable = "OPENBLAS_CORETYPE";

    /// <summary>The kernel set best suited to a CPU of this vector level, or null when OpenBLAS's oldest will do.</summary>
    public static string? BestFor(VectorLevel level) => level switch
    {
        VectorLevel.Avx512 => "SkylakeX",
        VectorLevel.Avx2 => "Haswell",
        VectorLevel.Avx => "Sandybridge",
        _ => null,
    };

    /// <summary>
    /// The vector level an OpenBLAS kernel set is written for, or null for a name this table does not
    /// know (a newer OpenBLAS's): the engine never overrides what it cannot rank.
    /// </summary>
    public static VectorLevel? LevelOf(string core) => core.ToLowerInvariant() switch
    {
        "skylakex" or "cooperlake" or "sapphirerapids" => VectorLevel.Avx512,
        "haswell" or "zen" => VectorLevel.Avx2,
        "sandybridge" or "bulldozer" or "piledriver" or "steamroller" or "excavator" => VectorLevel.Avx,
        "prescott" or "core2" or "penryn" or "dunnington" or "nehalem" or "atom" or "opteron" or "opteron_sse3"
            or "barcelona" or "bobcat" or "nano" or "katmai" or "coppermine" or "northwood" or "banias" => VectorLevel.Sse,
        _ => null,
    };

    /// <summary>
    /// The choice for a CPU, given the user's OPENBLAS_CORETYPE (null or empty when unset) and what
    /// OpenBLAS would pick by itself (null when that is unknown, "none" when there is no OpenBLAS).
    /// </summary>
    public static BlasKernelChoice Decide(CpuFeatures cpu, string? userSetting, string? openBlasDefault)
    {
        if (!string.IsNullOrEmpty(userSetting))
            return new(KernelSource.Environment, openBlasDefault, userSetting, $"{Variable}={userSetting} is set");
        if (openBlasDefault == "none")
            return new(KernelSource.OpenBlas, null, null, "no OpenBLAS is installed");
        var best = BestFor(cpu.Level);
        if (best is null)
            return new(KernelSource.OpenBlas, openBlasDefault, null, "the CPU has no AVX: OpenBLAS's own kernels are all it can run");
        if (openBlasDefault is null)
            return new(KernelSource.Workbench, null, best, $"OpenBLAS's own choice is unknown (no probe); the CPU has {cpu.Level.Display()}");
        var level = LevelOf(openBlasDefault);
        if (level is null || level >= cpu.Level)
            return new(KernelSource.OpenBlas, openBlasDefault, null, $"OpenBLAS picks {openBlasDefault} for this {cpu.Level.Display()} CPU");
        return new(KernelSource.Workbench, openBlasDefault, best,
            $"OpenBLAS would pick {openBlasDefault} ({level.Value.Display()}) for this {cpu.Level.Display()} CPU");
    }

    /// <summary>The choice made for this process, once the engine has loaded (null before).</summary>
    public static BlasKernelChoice? Current { get; internal set; }

    /// <summary>
    /// Runs the probe beside the shim to learn OpenBLAS's own pick: its name, "none" without OpenBLAS,
    /// or null when the probe is missing or failed.
    /// </summary>
    internal static string? ProbeOpenBlas(string probePath)
    {
        if (!File.Exists(probePath)) return null;
        try
        {
            var start = new ProcessStartInfo(probePath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["OPENBLAS_NUM_THREADS"] = "1";   // no worker pool for a one-line answer
            start.Environment.Remove(Variable);
            using var probe = Process.Start(start);
            if (probe is null) return null;
            var answer = probe.StandardOutput.ReadToEnd().Trim();
            if (!probe.WaitForExit(10_000)) { probe.Kill(); return null; }
            return probe.ExitCode == 0 && answer.Length > 0 ? answer : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return null;
        }
    }
}
