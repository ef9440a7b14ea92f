// Views, slicing, joining, splitting, triangles and softmax against PyTorch's values.
namespace Workbench.Torch.Tests;

public sealed class ShapeOpTests
{
    private const string File = "shape.safetensors";

    [Fact] public void Reshape_with_an_inferred_dim_matches_torch() => OpFixture.Check(File, "reshape", x => x[0].Reshape(4, -1));
    [Fact] public void Permute_matches_torch() => OpFixture.Check(File, "permute", x => x[0].Permute(2, 0, 1));
    [Fact] public void Transpose_matches_torch() => OpFixture.Check(File, "transpose", x => x[0].Transpose(0, 2));
    [Fact] public void Flatten_from_dim_one_matches_torch() => OpFixture.Check(File, "flatten", x => x[0].Flatten(1));
    [Fact] public void Unsqueeze_then_squeeze_matches_torch() => OpFixture.Check(File, "unsqueeze_squeeze", x => x[0].Unsqueeze(1).Squeeze());
    [Fact] public void Expand_matches_torch() => OpFixture.Check(File, "expand", x => x[0].Expand(3, 4));
    [Fact] public void Slice_with_a_step_matches_python_slicing() => OpFixture.Check(File, "slice_step", x => x[0].Slice(2, 1, 4, 2));
    [Fact] public void Slice_with_a_negative_start_counts_from_the_end() => OpFixture.Check(File, "slice_negative", x => x[0].Slice(1, -2));
    [Fact] public void Narrow_matches_torch() => OpFixture.Check(File, "narrow", x => x[0].Narrow(2, 1, 2));
    [Fact] public void Cat_matches_torch() => OpFixture.Check(File, "cat", x => Tensor.Cat([x[0], x[1]], 1));
    [Fact] public void Stack_matches_torch() => OpFixture.Check(File, "stack", x => Tensor.Stack([x[0], x[0] * 2], 1));
    [Fact] public void Split_leaves_a_shorter_last_piece_like_torch() => OpFixture.Check(File, "split", x => x[0].Split(3, 2));
    [Fact] public void Chunk_matches_torch() => OpFixture.Check(File, "chunk", x => x[0].Chunk(2, 1));
    [Fact] public void Tril_matches_torch() => OpFixture.Check(File, "tril", x => x[0].Tril());
    [Fact] public void Triu_above_the_diagonal_matches_torch() => OpFixture.Check(File, "triu", x => x[0].Triu(1));
    [Fact] public void Cumsum_matches_torch() => OpFixture.Check(File, "cumsum", x => x[0].CumSum(1));
    [Fact] public void Softmax_matches_torch() => OpFixture.Check(File, "softmax", x => x[0].Softmax(-1));
    [Fact] public void Log_softmax_matches_torch() => OpFixture.Check(File, "log_softmax", x => x[0].LogSoftmax(0));

    [Fact]
    public void Split_by_sizes_gives_pieces_of_those_sizes()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Arange(10);

        var pieces = x.Split([2, 3, 5]);

        Assert.Equal([[0L, 1L], [2L, 3L, 4L], [5L, 6L, 7L, 8L, 9L]], pieces.Select(p => p.ToArray<long>()).ToArray());
    }

    [Fact]
    public void A_view_shares_storage_with_its_base()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Zeros([2, 3]);

        x.View(6).Narrow(0, 4, 1).Fill_(7);

        Assert.Equal([0f, 0f, 0f, 0f, 7f, 0f], x.ToArray<float>());
    }
}
