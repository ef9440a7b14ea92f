// Backward of the engine ops against central finite differences in float64.
namespace Workbench.Torch.Tests;

public sealed class GradientTests
{
    private static Tensor Randn(params long[] shape) => Tensor.Randn(shape, ScalarType.Float64);

    public GradientTests() => Torch.ManualSeed(42);

    [Fact]
    public void Gradients_flow_through_views_slices_and_joins()
    {
        using var scope = TensorScope.Begin();
        GradientCheck.Assert(x => Tensor.Cat([x[0].Permute(1, 0).Slice(0, 0, 3, 2), x[0].Transpose(0, 1).Narrow(0, 1, 1)], 0).Reshape(-1).CumSum(0), Randn(3, 4));
        GradientCheck.Assert(x => Tensor.Stack([x[0].Tril(), x[0].Triu(1)], 1).Flatten().Unsqueeze(0).Expand(2, -1), Randn(3, 3));
    }

    [Fact]
    public void Gradients_flow_through_gather_index_select_and_masked_fill()
    {
        using var scope = TensorScope.Begin();
        var index = Tensor.From([2L, 0L, 1L, 1L], 2, 2);
        GradientCheck.Assert(x => x[0].Gather(1, index).Mul(x[0].IndexSelect(0, Tensor.From([1L, 0L])).Slice(1, 0, 2)), Randn(2, 3));
        GradientCheck.Assert(x => x[0].MaskedFill(x[0].Gt(0), 0).Softmax(1), Randn(3, 4));
        // Scatter with distinct indices per row (with repeats, which value lands is unspecified).
        var distinct = Tensor.From([2L, 0L, 1L, 2L], 2, 2);
        GradientCheck.Assert(x => x[0].Scatter(1, distinct, x[1]), Randn(2, 3), Randn(2, 2));
    }

    [Fact]
    public void Gradients_of_conv_pool_and_norms_match_finite_differences()
    {
        using var scope = TensorScope.Begin();
        GradientCheck.Assert(x => Functional.MaxPool2d(Functional.Conv2d(x[0], x[1], x[2], stride: 1, padding: 1), 2), Randn(1, 2, 4, 4), Randn(3, 2, 3, 3), Randn(3));
        GradientCheck.Assert(x => Functional.AvgPool2d(x[0], 2), Randn(1, 2, 4, 4));
        GradientCheck.Assert(x => Functional.LayerNorm(x[0], [4], x[1], x[2]), Randn(3, 4), Randn(4), Randn(4));
        GradientCheck.Assert(x => Functional.BatchNorm(x[0], null, null, x[1], x[2], training: true), Randn(5, 3), Randn(3), Randn(3));
    }

    [Fact]
    public void Gradients_of_attention_and_embedding_match_finite_differences()
    {
        using var scope = TensorScope.Begin();
        GradientCheck.Assert(x => Functional.ScaledDotProductAttention(x[0], x[1], x[2], isCausal: true), Randn(1, 2, 3, 4), Randn(1, 2, 3, 4), Randn(1, 2, 3, 4));
        GradientCheck.Assert(x => Functional.Embedding(Tensor.From([3L, 0L, 3L]), x[0]), Randn(4, 2));
    }

    [Fact]
    public void Gradients_of_losses_match_finite_differences()
    {
        using var scope = TensorScope.Begin();
        var target = Tensor.From([1L, -100L, 2L, 0L]);
        GradientCheck.Assert(x => Functional.CrossEntropy(x[0], target, labelSmoothing: 0.1), Randn(4, 3));
        GradientCheck.Assert(x => Functional.CrossEntropy(x[0], Tensor.From([1L, 0L, 2L, 2L], 2, 2), Reduction.Sum), Randn(2, 3, 2));
        GradientCheck.Assert(x => Functional.MseLoss(x[0], x[1]), Randn(2, 3), Randn(2, 3));
        GradientCheck.Assert(x => Functional.BinaryCrossEntropyWithLogits(x[0], x[1].Sigmoid()), Randn(2, 3), Randn(2, 3));
        GradientCheck.Assert(x => (x[0] * 8).LogSigmoid(), Randn(2, 3));
    }
}
