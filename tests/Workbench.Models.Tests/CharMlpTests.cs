// The char MLP (Bengio et al. 2003, makemore part 2): block_size token ids in, one row of next-token
// logits out; with batch norm its hidden layer has no bias and normalises over the batch while training.
using Workbench.Torch;

namespace Workbench.Models.Tests;

public sealed class CharMlpTests
{
    private const int Vocab = 27;
    private const int Block = 3;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_batch_of_contexts_gives_one_row_of_vocabulary_logits_each(bool batchNorm)
    {
        using var model = Model(batchNorm, [64, 32]);
        using var scope = TensorScope.Begin();
        var contexts = Tensor.RandInt(0, Vocab, [5, Block]);                   // (B, block_size)

        Assert.Equal([5L, Vocab], model.Forward(contexts).Shape);
        model.Eval();
        Assert.Equal([5L, Vocab], model.Forward(contexts).Shape);
    }

    [Fact]
    public void With_batch_norm_the_hidden_linear_has_no_bias_and_the_norm_keeps_running_statistics()
    {
        using var plain = Model(batchNorm: false, [64]);
        using var normed = Model(batchNorm: true, [64]);

        Assert.Equal(["wte.weight", "fc0.weight", "fc0.bias", "out.weight", "out.bias"], plain.NamedParameters().Select(p => p.Key));
        Assert.Empty(plain.NamedBuffers());
        Assert.Equal(["wte.weight", "fc0.weight", "bn0.weight", "bn0.bias", "out.weight", "out.bias"], normed.NamedParameters().Select(p => p.Key));
        Assert.Equal(["bn0.running_mean", "bn0.running_var", "bn0.num_batches_tracked"], normed.NamedBuffers().Select(p => p.Key));
        Assert.Equal(plain.ParameterCount() - 64 + 2 * 64, normed.ParameterCount());
    }

    [Fact]
    public void With_batch_norm_an_example_logits_depend_on_its_batch_in_training_and_not_in_eval()
    {
        using var model = Model(batchNorm: true, [64]);
        using var scope = TensorScope.Begin();
        var batch = Tensor.RandInt(0, Vocab, [8, Block]);
        var first = batch.Narrow(0, 0, 4);

        var inBatch = model.Forward(batch).Narrow(0, 0, 1).ToFloatArray();
        var inHalf = model.Forward(first).Narrow(0, 0, 1).ToFloatArray();
        Assert.NotEqual(inBatch, inHalf);

        model.Eval();
        var evalBatch = model.Forward(batch).Narrow(0, 0, 1).ToFloatArray();
        var evalHalf = model.Forward(first).Narrow(0, 0, 1).ToFloatArray();
        Assert.Equal(evalBatch, evalHalf);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_char_mlp_memorises_32_contexts_and_predicts_them_in_eval_mode(bool batchNorm)
    {
        using var model = Model(batchNorm, [64]);
        using var scope = TensorScope.Begin();
        // 32 distinct contexts (base-27 digits of distinct numbers), each with a random next token.
        var codes = Enumerable.Range(0, 32).Select(i => i * 601 + 7).ToArray();
        var contexts = TinyModels.Ids(codes.SelectMany(c => new long[] { c / (Vocab * Vocab), c / Vocab % Vocab, c % Vocab }).ToArray(), 32, Block);
        var targets = Tensor.RandInt(0, Vocab, [32]);

        var loss = TinyModels.Train(model, contexts, targets, steps: 300, lr: 1e-2);

        Assert.True(loss < 0.05, $"loss after 300 steps is {loss}");
        model.Eval();
        Assert.Equal(targets.ToArray<long>(), model.Forward(contexts).ArgMax(1).ToArray<long>());
    }

    private static CharMlp Model(bool batchNorm, int[] hidden)
    {
        Torch.Torch.ManualSeed(3);
        return new CharMlp(Vocab, Block, embeddingSize: 10, hidden, batchNorm, ActivationKind.Tanh);
    }
}
