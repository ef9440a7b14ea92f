// torch.nn.functional counterparts against PyTorch's values: linear layers, convolution, pooling, embedding,
// normalisation, attention and dropout.
namespace Workbench.Torch.Tests;

public sealed class NnFunctionTests
{
    private const string File = "nn.safetensors";

    [Fact]
    public void Linear_and_its_gradients_match_torch() =>
        OpFixture.Check(File, "linear", x => LinearAndGradients(x[0], x[1], x[2], x[3]));

    [Fact]
    public void Linear_of_a_vector_without_bias_and_its_gradients_match_torch() =>
        OpFixture.Check(File, "linear_vector_no_bias", x => LinearAndGradients(x[0], x[1], null, x[2]));

    // A GPT layer's product (768 tokens, 128 -> 512), which oneDNN threads over the cores where Linear layers
    // run on it (Torch.LinearBackend), and a transposed, non-contiguous input: the layer and its gradients
    // equal the same products written with libtorch's own matmul and sum.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Linear_at_a_gpt_layers_size_equals_libtorchs_own_products(bool transposedInput)
    {
        using var scope = TensorScope.Begin();
        Torch.ManualSeed(11);
        var x = transposedInput ? Tensor.Randn([128, 768]).Transpose(0, 1) : Tensor.Randn([768, 128]);
        var w = Tensor.Randn([512, 128]).Mul(0.1);
        var b = Tensor.Randn([512]);
        var dy = Tensor.Randn([768, 512]).Mul(0.1);

        var actual = LinearAndGradients(x, w, b, dy);

        Close.Assert(x.Matmul(w.Transpose(0, 1)).Add(b), actual[0], "output");
        Close.Assert(dy.Matmul(w), actual[1], "gradient of the input");
        Close.Assert(dy.Transpose(0, 1).Matmul(x), actual[2], "gradient of the weight");
        Close.Assert(dy.Sum(0), actual[3], "gradient of the bias");
    }

    // y = linear(x, w, b) and, for the output gradient dy, the gradients of x, w and b (when given).
    private static Tensor[] LinearAndGradients(Tensor x, Tensor w, Tensor? b, Tensor dy)
    {
        var (xl, wl, bl) = (x.Detach().RequiresGrad_(), w.Detach().RequiresGrad_(), b?.Detach().RequiresGrad_());
        var y = Functional.Linear(xl, wl, bl);
        y.Backward(dy);
        return bl is null ? [y.Detach(), xl.Grad()!, wl.Grad()!] : [y.Detach(), xl.Grad()!, wl.Grad()!, bl.Grad()!];
    }

    [Fact]
    public void Grouped_strided_padded_conv2d_matches_torch() =>
        OpFixture.Check(File, "conv2d", x => Functional.Conv2d(x[0], x[1], x[2], stride: 2, padding: 1, groups: 2));

    [Fact]
    public void Dilated_conv2d_without_bias_matches_torch() =>
        OpFixture.Check(File, "conv2d_dilated", x => Functional.Conv2d(x[0], x[1], null, padding: 2, dilation: 2));

    [Fact] public void Max_pool2d_matches_torch() => OpFixture.Check(File, "max_pool2d", x => Functional.MaxPool2d(x[0], 2));
    [Fact] public void Padded_max_pool2d_matches_torch() => OpFixture.Check(File, "max_pool2d_padded", x => Functional.MaxPool2d(x[0], 3, 2, 1));
    [Fact] public void Avg_pool2d_counts_padding_like_torch() => OpFixture.Check(File, "avg_pool2d", x => Functional.AvgPool2d(x[0], 3, 2, 1));
    [Fact] public void Embedding_matches_torch() => OpFixture.Check(File, "embedding", x => Functional.Embedding(x[0], x[1]));
    [Fact] public void Layer_norm_with_affine_matches_torch() => OpFixture.Check(File, "layer_norm", x => Functional.LayerNorm(x[0], [8], x[1], x[2]));
    [Fact] public void Layer_norm_over_two_dims_matches_torch() => OpFixture.Check(File, "layer_norm_2d", x => Functional.LayerNorm(x[0], [5, 8]));

    [Fact]
    public void Batch_norm_in_training_normalises_and_updates_running_stats_like_torch() =>
        OpFixture.Check(File, "batch_norm_train", x =>
        {
            var (runningMean, runningVar) = (x[1].Clone(), x[2].Clone());
            var y = Functional.BatchNorm(x[0], runningMean, runningVar, x[3], x[4], training: true, momentum: 0.1);
            return [y, runningMean, runningVar];
        });

    [Fact]
    public void Batch_norm_in_eval_uses_running_stats_like_torch() =>
        OpFixture.Check(File, "batch_norm_eval", x => Functional.BatchNorm(x[0], x[1], x[2], x[3], x[4], training: false));

    [Fact]
    public void Attention_matches_torch() =>
        OpFixture.Check(File, "attention", x => Functional.ScaledDotProductAttention(x[0], x[1], x[2]));

    [Fact]
    public void Causal_attention_matches_torch() =>
        OpFixture.Check(File, "attention_causal", x => Functional.ScaledDotProductAttention(x[0], x[1], x[2], isCausal: true));

    // On libtorch 1.x causal attention runs as one autograd node with a written-out backward; the
    // op-by-op attention is its reference, for the output and the gradients of q, k and v alike, on
    // the strided views a GPT passes (q, k, v split from one projection and transposed).
    [Fact]
    public void Causal_attention_and_its_gradients_equal_the_op_by_op_attention()
    {
        using var scope = TensorScope.Begin();
        Torch.ManualSeed(11);
        var qkv = Tensor.Randn([2, 8, 3 * 12]);                                                    // (B, T, 3C)
        var dy = Tensor.Randn([2, 3, 8, 4]);
        Tensor[] Run(bool byHand)
        {
            var leaf = qkv.Detach().RequiresGrad_();
            var parts = leaf.Split(12, 2).Select(t => t.View(2, 8, 3, 4).Transpose(1, 2)).ToArray();  // (B, H, T, D)
            var y = Functional.Attention(parts[0], parts[1], parts[2], null, 0, isCausal: true, byHand);
            (y * dy).Sum().Backward();
            return [y, leaf.Grad()!];
        }

        var fused = Run(byHand: false);
        var reference = Run(byHand: true);

        Close.Assert(reference[0], fused[0], "attention output");
        Close.Assert(reference[1], fused[1], "gradient of q, k, v");
    }

    [Fact]
    public void Causal_self_attention_and_the_gradient_of_its_projection_match_torch() =>
        OpFixture.Check(File, "causal_self_attention", x =>
        {
            var qkv = x[0].Detach().RequiresGrad_();
            var y = Functional.CausalSelfAttention(qkv, heads: 2);
            y.Backward(x[1]);
            return [y.Detach(), qkv.Grad()!];
        });

    // The GPT's attention from its one projection against the op-by-op attention on the split heads:
    // output and gradient, for slices BLAS runs one per core (T 8) and in turn, each on all cores (T 96,
    // head size 48: past the 2^18 multiply-adds from which OpenBLAS threads a product), and one token.
    [Theory]
    [InlineData(2, 8, 3, 4)]
    [InlineData(2, 96, 2, 48)]
    [InlineData(3, 1, 2, 4)]
    public void Causal_self_attention_equals_the_op_by_op_attention_of_its_split_heads(int batch, int tokens, int heads, int headSize)
    {
        using var scope = TensorScope.Begin();
        Torch.ManualSeed(17);
        var c = heads * headSize;
        var qkv = Tensor.Randn([batch, tokens, 3 * c]);
        var dy = Tensor.Randn([batch, tokens, c]);
        Tensor[] Run(bool packed)
        {
            var leaf = qkv.Detach().RequiresGrad_();
            Tensor y;
            if (packed) y = Functional.CausalSelfAttention(leaf, heads);
            else
            {
                var parts = leaf.Split(c, 2).Select(t => t.View(batch, tokens, heads, headSize).Transpose(1, 2)).ToArray();
                y = Functional.Attention(parts[0], parts[1], parts[2], null, 0, isCausal: true, byHand: true)
                    .Transpose(1, 2).Contiguous().View(batch, tokens, c);
            }
            (y * dy).Sum().Backward();
            return [y, leaf.Grad()!];
        }

        var fused = Run(packed: true);
        var reference = Run(packed: false);

        Close.Assert(reference[0], fused[0], "attention output");
        Close.Assert(reference[1], fused[1], "gradient of the projection");
    }

    [Fact]
    public void Causal_self_attention_rejects_a_projection_that_is_not_three_times_heads_wide()
    {
        using var scope = TensorScope.Begin();
        var e = Assert.Throws<TorchArgumentException>(() => Functional.CausalSelfAttention(Tensor.Randn([1, 2, 10]), heads: 2));
        Assert.Equal("causal_self_attention", e.Op);
        Assert.Contains("3 x heads (2)", e.Message);
    }

    [Fact]
    public void Attention_with_a_bool_mask_attends_only_where_true_like_torch() =>
        OpFixture.Check(File, "attention_bool_mask", x => Functional.ScaledDotProductAttention(x[0], x[1], x[2], x[3]));

    [Fact]
    public void Attention_with_an_additive_mask_matches_torch() =>
        OpFixture.Check(File, "attention_float_mask", x => Functional.ScaledDotProductAttention(x[0], x[1], x[2], x[3]));

    [Fact]
    public void Attention_with_both_a_mask_and_is_causal_is_rejected()
    {
        using var scope = TensorScope.Begin();
        var q = Tensor.Randn([1, 1, 2, 4]);
        var mask = Tensor.Ones([2, 2], ScalarType.Bool);

        var e = Assert.Throws<TorchArgumentException>(() => Functional.ScaledDotProductAttention(q, q, q, mask, isCausal: true));

        Assert.Equal("scaled_dot_product_attention", e.Op);
    }

    [Fact]
    public void Dropout_zeroes_about_p_and_scales_the_rest_while_training_and_is_the_identity_in_eval()
    {
        using var scope = TensorScope.Begin();
        Torch.ManualSeed(5);
        var x = Tensor.Ones([10000]);

        var train = Functional.Dropout(x, 0.25, training: true).ToArray<float>();
        var eval = Functional.Dropout(x, 0.25, training: false).ToArray<float>();

        Assert.InRange(train.Count(v => v == 0) / 10000.0, 0.23, 0.27);
        Assert.All(train.Where(v => v != 0), v => Assert.Equal(1f / 0.75f, v, 5));
        Assert.All(eval, v => Assert.Equal(1f, v));
    }
}
