// Indexing by tensors, masks, top-k, one-hot and sampling, against PyTorch's values.
namespace Workbench.Torch.Tests;

public sealed class IndexOpTests
{
    private const string File = "index.safetensors";

    [Fact] public void Index_select_with_repeats_matches_torch() => OpFixture.Check(File, "index_select", x => x[0].IndexSelect(0, x[1]));
    [Fact] public void Gather_matches_torch() => OpFixture.Check(File, "gather", x => x[0].Gather(1, x[1]));
    [Fact] public void Scatter_matches_torch() => OpFixture.Check(File, "scatter", x => x[0].Scatter(1, x[1], x[2]));
    [Fact] public void Scatter_add_accumulates_repeated_indices_like_torch() => OpFixture.Check(File, "scatter_add", x => x[0].ScatterAdd(1, x[1], x[2]));
    [Fact] public void Masked_fill_matches_torch() => OpFixture.Check(File, "masked_fill", x => x[0].MaskedFill(x[1], -1.5));
    [Fact] public void One_hot_matches_torch() => OpFixture.Check(File, "one_hot", x => x[0].OneHot(4));

    [Fact]
    public void Topk_gives_values_and_indices_like_torch() =>
        OpFixture.Check(File, "topk", x => { var (v, i) = x[0].TopK(3, 1); return [v, i]; });

    [Fact]
    public void Topk_smallest_along_dim_zero_matches_torch() =>
        OpFixture.Check(File, "topk_smallest", x => { var (v, i) = x[0].TopK(2, 0, largest: false); return [v, i]; });

    [Fact]
    public void Multinomial_without_replacement_never_repeats_and_skips_zero_weights()
    {
        using var scope = TensorScope.Begin();
        Torch.ManualSeed(3);
        var weights = Tensor.From([0f, 1f, 2f, 0f, 4f]);

        var draws = weights.Multinomial(3).ToArray<long>();

        Assert.Equal([1L, 2L, 4L], draws.Order().ToArray());
    }

    [Fact]
    public void Multinomial_with_replacement_follows_the_weights_and_the_seed()
    {
        using var scope = TensorScope.Begin();
        var weights = Tensor.From([1f, 3f]);

        Torch.ManualSeed(11);
        var first = weights.Multinomial(4000, replacement: true).ToArray<long>();
        Torch.ManualSeed(11);
        var again = weights.Multinomial(4000, replacement: true).ToArray<long>();

        Assert.Equal(first, again);
        Assert.InRange(first.Average(v => (double)v), 0.72, 0.78);
    }
}
