// Bad input to the engine ops: a typed exception naming the op, never a crash.
namespace Workbench.Torch.Tests;

public sealed class OpErrorTests
{
    [Fact]
    public void Cat_of_mismatched_shapes_names_cat_and_the_sizes()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.Zeros([2, 3]);
        var b = Tensor.Zeros([2, 4]);

        var e = Assert.ThrowsAny<TorchException>(() => Tensor.Cat([a, b], 0));

        Assert.Equal("cat", e.Op);
        Assert.Contains("Sizes of tensors must match", e.Message);
    }

    [Fact]
    public void A_view_of_the_wrong_element_count_is_a_shape_error()
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.Zeros([2, 3]);

        var e = Assert.Throws<TorchShapeException>(() => a.View(4, 2));

        Assert.Equal("view", e.Op);
    }

    [Fact]
    public void Conv2d_with_the_wrong_channel_count_is_rejected()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Zeros([1, 3, 8, 8]);
        var w = Tensor.Zeros([4, 2, 3, 3]);

        var e = Assert.ThrowsAny<TorchException>(() => Functional.Conv2d(x, w));

        Assert.Equal("conv2d", e.Op);
        Assert.Contains("channels", e.Message);
    }

    [Fact]
    public void An_index_out_of_range_is_an_index_error()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Zeros([3, 2]);

        var select = Assert.ThrowsAny<TorchException>(() => x.IndexSelect(0, Tensor.From([5L])));
        var embed = Assert.ThrowsAny<TorchException>(() => Functional.Embedding(Tensor.From([3L]), x));
        var dim = Assert.Throws<TorchIndexException>(() => x.Transpose(0, 5));

        Assert.Equal("index_select", select.Op);
        Assert.Contains("out of range", select.Message);
        Assert.Equal("embedding", embed.Op);
        Assert.Equal("transpose", dim.Op);
    }

    [Fact]
    public void Float_indices_are_a_type_error_naming_the_op()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Zeros([3, 2]);

        var e = Assert.Throws<TorchTypeException>(() => x.Gather(0, Tensor.Zeros([1, 2])));

        Assert.Equal("gather", e.Op);
        Assert.Contains("int64", e.Message);
    }

    [Fact]
    public void Cross_entropy_with_float_class_targets_of_the_wrong_shape_is_rejected()
    {
        using var scope = TensorScope.Begin();
        var logits = Tensor.Zeros([4, 3]);

        var e = Assert.ThrowsAny<TorchException>(() => Functional.CrossEntropy(logits, Tensor.From([0L, 1L])));

        Assert.Equal("cross_entropy", e.Op);
    }

    [SkippableFact]
    public void Asking_for_cuda_without_cuda_is_a_typed_error_naming_the_op()
    {
        Skip.If(Cuda.IsAvailable, "this machine has CUDA");
        using var scope = TensorScope.Begin();
        var x = Tensor.Zeros([2]);

        var create = Assert.ThrowsAny<TorchException>(() => Tensor.Zeros([2], device: Device.Cuda()));
        var move = Assert.ThrowsAny<TorchException>(() => x.To(Device.Cuda()));

        Assert.Equal("full", create.Op);
        Assert.Equal("to", move.Op);
    }

    [SkippableFact]
    public void Half_precision_matmul_on_a_cpu_without_kernels_says_not_implemented()
    {
        Skip.If(Torch.HasTorch2, "libtorch 2 implements fp16 matmul on the CPU");
        using var scope = TensorScope.Begin();
        var a = Tensor.Ones([2, 2], ScalarType.Float16);

        var e = Assert.Throws<TorchNotImplementedException>(() => a.Matmul(a));

        Assert.Equal("matmul", e.Op);
        Assert.Contains("Half", e.Message);
    }

    [Fact]
    public void Bad_arguments_are_rejected_before_reaching_libtorch()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Zeros([4]);

        Assert.Throws<TorchArgumentException>(() => x.Slice(0, 0, 4, 0));
        Assert.Throws<TorchArgumentException>(() => Functional.Dropout(x, 1.5, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Chunk(0));
    }
}
