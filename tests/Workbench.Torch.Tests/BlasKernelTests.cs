// The engine's choice of OpenBLAS kernels: read from the CPU's flags, never over the user's setting,
// only when OpenBLAS would settle for older ones; and the process really runs on what was chosen.
using Workbench.Torch.Diagnostics;

namespace Workbench.Torch.Tests;

public sealed class BlasKernelTests
{
    // What a cloud VM that hides its model shows (the Xeon of the issue: AVX-512 with BF16 and AMX).
    private static readonly CpuFeatures HiddenXeon = CpuFeatures.Parse(
    [
        "processor\t: 0",
        "vendor_id\t: GenuineIntel",
        "model name\t: Intel(R) Xeon(R) Processor",
        "flags\t\t: fpu sse sse2 pni ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f avx512dq avx512cd avx512bw avx512vl avx512_vnni avx512_bf16 amx_bf16 amx_tile amx_int8",
        "",
        "processor\t: 1",
        "model name\t: Intel(R) Xeon(R) Processor",
        "flags\t\t: fpu sse",
    ]);

    private static CpuFeatures WithFlags(string flags) => CpuFeatures.Parse(["model name : test", $"flags : {flags}"]);

    [Fact]
    public void Cpuinfo_gives_the_model_and_vector_features_of_the_first_processor()
    {
        Assert.Equal("Intel(R) Xeon(R) Processor", HiddenXeon.Model);
        Assert.Equal(VectorLevel.Avx512, HiddenXeon.Level);
        Assert.Equal("sse4_2 avx avx2 fma avx512f avx512cd avx512bw avx512dq avx512vl avx512_vnni avx512_bf16 amx_tile amx_bf16 amx_int8",
            string.Join(' ', HiddenXeon.VectorFlags));
    }

    [Theory]
    [InlineData("sse sse2 pni", VectorLevel.Sse)]
    [InlineData("sse2 avx", VectorLevel.Avx)]
    [InlineData("avx avx2", VectorLevel.Avx)]            // AVX2 without FMA: OpenBLAS's Haswell kernels need both
    [InlineData("avx avx2 fma", VectorLevel.Avx2)]
    [InlineData("avx avx2 fma avx512f", VectorLevel.Avx2)] // Xeon Phi style: F alone is not SkylakeX's set
    [InlineData("avx avx2 fma avx512f avx512cd avx512bw avx512dq avx512vl", VectorLevel.Avx512)]
    public void The_vector_level_needs_every_flag_its_kernels_use(string flags, VectorLevel level) =>
        Assert.Equal(level, WithFlags(flags).Level);

    [Fact]
    public void An_avx512_cpu_that_openblas_does_not_recognise_gets_skylakex()
    {
        var choice = BlasKernelChoice.Decide(HiddenXeon, userSetting: null, openBlasDefault: "Prescott");

        Assert.Equal((KernelSource.Workbench, "SkylakeX"), (choice.Source, choice.Chosen));
        Assert.Contains("Prescott", choice.Reason);
    }

    [Theory]
    [InlineData("Prescott", "Haswell")]
    [InlineData("Sandybridge", "Haswell")]
    [InlineData("Nehalem", "Haswell")]
    public void An_avx2_cpu_on_older_kernels_gets_haswell(string openBlas, string chosen)
    {
        var choice = BlasKernelChoice.Decide(WithFlags("avx avx2 fma"), null, openBlas);

        Assert.Equal((KernelSource.Workbench, chosen), (choice.Source, choice.Chosen));
    }

    [Theory]
    [InlineData("Zen")]              // AMD EPYC, recognised
    [InlineData("Haswell")]
    [InlineData("Cooperlake")]       // as wide as the CPU: OpenBLAS's own pick stands
    [InlineData("SomeFutureCore")]   // a name this table cannot rank is never overridden
    public void Kernels_as_wide_as_the_cpu_or_unknown_to_the_engine_are_left_alone(string openBlas)
    {
        var cpu = openBlas == "Zen" || openBlas == "Haswell" ? WithFlags("avx avx2 fma") : HiddenXeon;

        var choice = BlasKernelChoice.Decide(cpu, null, openBlas);

        Assert.Equal((KernelSource.OpenBlas, null), (choice.Source, choice.Chosen));
    }

    [Fact]
    public void The_users_openblas_coretype_always_wins()
    {
        var choice = BlasKernelChoice.Decide(HiddenXeon, userSetting: "Prescott", openBlasDefault: null);

        Assert.Equal((KernelSource.Environment, "Prescott"), (choice.Source, choice.Chosen));
    }

    [Fact]
    public void Without_openblas_or_without_avx_nothing_is_set()
    {
        Assert.Null(BlasKernelChoice.Decide(HiddenXeon, null, "none").Chosen);
        Assert.Null(BlasKernelChoice.Decide(WithFlags("sse sse2 pni"), null, "Prescott").Chosen);
    }

    [Fact]
    public void Slower_kernels_than_the_cpu_allows_are_a_warning_naming_the_fix()
    {
        var warning = EngineDiagnostics.SlowKernelsWarning(HiddenXeon, "Haswell");

        Assert.NotNull(warning);
        Assert.Contains("OPENBLAS_CORETYPE", warning);
        Assert.Contains("SkylakeX", warning);
        Assert.Null(EngineDiagnostics.SlowKernelsWarning(HiddenXeon, "SkylakeX"));
        Assert.Null(EngineDiagnostics.SlowKernelsWarning(HiddenXeon, null));
    }

    [SkippableFact]
    public void This_process_runs_on_the_forced_kernels_or_on_kernels_as_wide_as_the_cpu()
    {
        var core = Torch.BlasCore;
        Skip.If(core is null, "this libtorch does not use OpenBLAS");
        var forced = Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE");

        if (!string.IsNullOrEmpty(forced))
        {
            // `make test` reruns the parity suites under older kernel sets: prove they took effect.
            Assert.Equal(forced, core, StringComparer.OrdinalIgnoreCase);
            Assert.Equal(KernelSource.Environment, BlasKernelChoice.Current!.Source);
        }
        else
        {
            Assert.Null(EngineDiagnostics.SlowKernelsWarning(CpuFeatures.Current, core));
        }
    }
}
