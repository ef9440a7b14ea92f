// Creation, read-back, arithmetic, autograd and errors on the smallest tensors.
using System.Runtime.CompilerServices;
using Workbench.Torch;

namespace Workbench.Torch.Tests;

public sealed class TensorBasicsTests
{
    [Fact]
    public void Values_round_trip_through_a_tensor()
    {
        using var t = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);

        Assert.Equal([2L, 3L], t.Shape);
        Assert.Equal(ScalarType.Float32, t.DType);
        Assert.Equal(Device.Cpu, t.Device);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], t.ToArray<float>());
    }

    [Fact]
    public void Whole_number_scalars_keep_an_integer_tensor_integer_as_in_python()
    {
        using var ids = Tensor.Arange(0, 4, 1, ScalarType.Int64);
        using var next = ids + 1;
        using var scaled = ids * 3;
        using var half = ids * 0.5;
        ids.Add_(2);

        Assert.Equal(ScalarType.Int64, next.DType);
        Assert.Equal([1L, 2L, 3L, 4L], next.ToArray<long>());
        Assert.Equal([0L, 3L, 6L, 9L], scaled.ToArray<long>());
        Assert.Equal(ScalarType.Float32, half.DType);      // a fraction promotes, as torch.arange(4) * 0.5 does
        Assert.Equal([2L, 3L, 4L, 5L], ids.ToArray<long>());
    }

    [Fact]
    public void Gradient_of_sum_of_squares_is_twice_the_input()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.From([1.0, -2.0, 3.0]).RequiresGrad_();

        (x * x).Sum().Backward();

        Assert.Equal([2.0, -4.0, 6.0], x.Grad()!.ToArray<double>());
    }

    [Fact]
    public void Results_of_gradient_free_ops_feed_later_autograd_and_an_in_place_change_is_still_caught()
    {
        using var a = Tensor.From([1.0, 2.0, 3.0]);
        using var w = Tensor.From([0.5, -1.0, 2.0]).RequiresGrad_();
        using var x = (a + 1).Exp() - a;              // no input needs a gradient: computed below autograd

        Assert.False(x.RequiresGrad);
        using (var loss = (x * w).Sum()) loss.Backward();
        var expected = new[] { 1.0, 2.0, 3.0 }.Select(v => Math.Exp(v + 1) - v).ToArray();
        var grad = w.Grad()!.ToArray<double>();
        for (var i = 0; i < 3; i++) Assert.Equal(expected[i], grad[i], 1e-12);

        using var y = x * w;                          // saves x for the gradient of w
        x.Add_(1);                                    // then x changes in place
        using var sum = y.Sum();
        Assert.ThrowsAny<TorchException>(() => sum.Backward());
    }

    [Fact]
    public void Shape_mismatch_throws_a_typed_exception_naming_the_op()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.Zeros([2, 3]);
        var b = Tensor.Zeros([4, 5]);

        var e = Assert.ThrowsAny<TorchException>(() => a.Matmul(b));

        Assert.Equal("matmul", e.Op);
        Assert.Contains("cannot be multiplied", e.Message);
    }

    [Fact]
    public void A_tensor_nobody_disposed_is_counted_as_finalized_not_hidden()
    {
        var before = TensorCensus.Take();

        LeaveATensorToTheGc();

        var after = TensorCensus.Take();
        Assert.Equal(before.Live, after.Live);
        Assert.Equal(before.Finalized + 1, after.Finalized);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LeaveATensorToTheGc() => _ = Tensor.Zeros([4]);

    [Fact]
    public void A_scope_frees_every_temporary_it_saw()
    {
        var before = TensorCensus.Take();
        using (TensorScope.Begin())
        {
            var x = Tensor.Randn([16, 16]);
            _ = (x.Matmul(x) + 1).Relu().Mean().Item();
        }
        Assert.Equal(before, TensorCensus.Take());
    }
}
