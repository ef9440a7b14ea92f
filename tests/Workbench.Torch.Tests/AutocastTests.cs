// Mixed precision against torch.autocast("cpu", torch.bfloat16) on the same inputs: which ops run in
// bfloat16, which stay float32, and that weights and their gradients stay float32.
namespace Workbench.Torch.Tests;

public sealed class AutocastTests
{
    private const string File = "autocast.safetensors";

    [Fact]
    public void Linear_inside_a_bf16_region_runs_in_bf16_like_torch() =>
        OpFixture.Check(File, "linear", x => { using var amp = Bf16(); return Functional.Linear(x[0], x[1], x[2]); });

    [Fact]
    public void Matmul_inside_a_bf16_region_runs_in_bf16_like_torch() =>
        OpFixture.Check(File, "matmul", x => { using var amp = Bf16(); return x[0].Matmul(x[1].Transpose(0, 1)); });

    // The loss is float32, but its logits were rounded to bfloat16 on the way: bfloat16's tolerance.
    [Fact]
    public void Cross_entropy_of_a_bf16_linear_is_computed_in_float32_like_torch() =>
        OpFixture.Check(File, "cross_entropy_of_linear",
            x => { using var amp = Bf16(); return Functional.CrossEntropy(Functional.Linear(x[0], x[1], x[2]), x[3]); },
            Close.DefaultsFor(ScalarType.BFloat16).Rtol, Close.DefaultsFor(ScalarType.BFloat16).Atol);

    [Fact]
    public void Outside_the_region_and_after_it_ops_run_in_float32_again()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([4, 8]);
        var w = Tensor.Randn([5, 8]);

        using (Bf16())
        {
            Assert.Equal(ScalarType.BFloat16, Functional.Linear(x, w).DType);
            using (Bf16()) Assert.Equal(ScalarType.BFloat16, Functional.Linear(x, w).DType);   // regions nest
            Assert.Equal(ScalarType.BFloat16, Functional.Linear(x, w).DType);
        }

        Assert.Equal(ScalarType.Float32, Functional.Linear(x, w).DType);
    }

    [Fact]
    public void A_float32_weight_used_in_a_bf16_region_gets_a_float32_gradient()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([4, 8]);
        var w = Tensor.Randn([5, 8]).RequiresGrad_();
        Tensor loss;

        using (Bf16()) loss = Functional.Linear(x, w).Sum();
        loss.Backward();

        var grad = w.Grad()!;
        Assert.Equal(ScalarType.Float32, grad.DType);
        Assert.Equal([5L, 8L], grad.Shape);
    }

    [Fact]
    public void Autocast_to_a_type_that_is_not_a_half_precision_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new Autocast(Device.Cpu, ScalarType.Float64));

        Assert.Contains("bfloat16 or float16, not float64", error.Message);
    }

    private static Autocast Bf16() => new(Device.Cpu, ScalarType.BFloat16);
}
