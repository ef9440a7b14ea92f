// The CPU as /proc/cpuinfo describes it: its model name and the vector features that decide which
// BLAS kernels it can run. Hypervisors often hide the model ("Intel(R) Xeon(R) Processor") but pass
// the feature flags through, so the flags, not the name, are what the kernel choice reads.
namespace Workbench.Torch.Diagnostics;

/// <summary>How wide a vector unit the CPU has, in the steps OpenBLAS's kernel sets follow.</summary>
public enum VectorLevel
{
    /// <summary>SSE only: OpenBLAS's oldest kernels are all there is.</summary>
    Sse = 0,
    /// <summary>AVX (Sandy Bridge, Bulldozer).</summary>
    Avx = 1,
    /// <summary>AVX2 with FMA (Haswell, Zen).</summary>
    Avx2 = 2,
    /// <summary>AVX-512 F/CD/BW/DQ/VL (Skylake-X and later Xeons, Zen 4).</summary>
    Avx512 = 3,
}

public static class VectorLevels
{
    /// <summary>The level as CPU vendors write it: SSE, AVX, AVX2, AVX-512.</summary>
    public static string Display(this VectorLevel level) => level switch
    {
        VectorLevel.Avx512 => "AVX-512",
        VectorLevel.Avx2 => "AVX2",
        VectorLevel.Avx => "AVX",
        _ => "SSE",
    };
}

public sealed record CpuFeatures(string Model, IReadOnlySet<string> Flags)
{
    // The flags worth naming, in the order doctor prints them, spelled as /proc/cpuinfo spells them.
    private static readonly string[] Vector =
    [
        "sse4_2", "avx", "avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl",
        "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16", "amx_int8",
    ];

    private static readonly string[] Avx512Base = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"];

    /// <summary>The vector features this CPU has, as /proc/cpuinfo spells them.</summary>
    public IEnumerable<string> VectorFlags => Vector.Where(Flags.Contains);

    public VectorLevel Level =>
        Avx512Base.All(Flags.Contains) ? VectorLevel.Avx512
        : Flags.Contains("avx2") && Flags.Contains("fma") ? VectorLevel.Avx2
        : Flags.Contains("avx") ? VectorLevel.Avx
        : VectorLevel.Sse;

    private static CpuFeatures? _current;

    /// <summary>This machine's CPU (read once); an unknown model and no flags where /proc/cpuinfo is unreadable.</summary>
    public static CpuFeatures Current => _current ??= Read("/proc/cpuinfo");

    public static CpuFeatures Read(string path)
    {
        try { return Parse(File.ReadLines(path)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CpuFeatures("unknown", new HashSet<string>());
        }
    }

    /// <summary>The first processor's entry of a /proc/cpuinfo text (every core of a machine reports the same).</summary>
    public static CpuFeatures Parse(IEnumerable<string> lines)
    {
        string? model = null;
        HashSet<string>? flags = null;
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (key == "model name") model ??= value;
            else if (key == "flags") flags ??= [.. value.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
            if (model != null && flags != null) break;
        }
        return new CpuFeatures(model ?? "unknown", flags ?? []);
    }
}
