// The GPT's output head is its token embedding (weight tying, as in GPT-2 and nanoGPT), not a copy,
// and the model has exactly the parameters nanoGPT's formula counts.
using Workbench.Torch;
using Workbench.Torch.Nn;

namespace Workbench.Models.Tests;

public sealed class GptWeightTyingTests
{
    private const int Vocab = 11;
    private const int Embedding = 16;

    [Fact]
    public void The_state_dict_holds_one_vocabulary_matrix_and_it_is_the_head()
    {
        using var model = TinyModels.Gpt();

        var state = model.StateDict();

        var matrices = state.Where(p => p.Value.Shape.SequenceEqual(new long[] { Vocab, Embedding })).Select(p => p.Key).ToList();
        Assert.Equal(["wte.weight"], matrices);
        Assert.DoesNotContain(state.Keys, k => k.Contains("head", StringComparison.Ordinal));
        Assert.Same(state["wte.weight"], model.HeadWeight);
    }

    [Fact]
    public void Zeroing_a_token_embedding_row_in_place_zeroes_that_token_logit_everywhere()
    {
        using var model = TinyModels.Gpt();
        using var input = TinyModels.Ids(1, 2, 3, 4, 2, 1);                     // token 7 is never read
        Assert.Contains(Logit(TinyModels.Evaluate(model, input), 7), v => v != 0);

        using (new NoGrad())
        using (var row = model.StateDict()["wte.weight"].Narrow(0, 7, 1))
            row.Zero_();

        Assert.All(Logit(TinyModels.Evaluate(model, input), 7), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void The_head_gradient_lands_on_the_token_embedding()
    {
        using var model = TinyModels.Gpt();
        using var scope = TensorScope.Begin();
        var input = TinyModels.Ids(1, 2, 3, 4, 2, 1);                            // tokens 5..10 are never read
        var targets = TinyModels.Ids(2, 3, 4, 2, 1, 5);

        var logits = model.Forward(input);                                       // (1, T, V)
        Functional.CrossEntropy(logits.Reshape(-1, Vocab), targets.Reshape(-1)).Backward();

        // A row that no input looks up can only get a gradient through the output head.
        var grad = model.StateDict()["wte.weight"].Grad();
        Assert.NotNull(grad);
        foreach (var unread in new[] { 5, 7, 10 })
            Assert.True(grad.Narrow(0, unread, 1).Abs().Sum().Item() > 0, $"wte.weight row {unread} got no gradient from the head");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_parameter_count_is_nanogpt_formula(bool bias)
    {
        const int vocab = 11, block = 16, layers = 2, c = 16;
        using var model = TinyModels.Gpt(bias, vocab, block, layers, heads: 2, embedding: c);

        // Per layer: q/k/v, attention projection, MLP up and down (12 C^2) and two LayerNorm weights;
        // with bias, 3C + C + 4C + C linear biases and two LayerNorm biases (11C). One tied V x C matrix;
        // the final LayerNorm's weight (and bias).
        long perLayer = 12L * c * c + 2 * c + (bias ? 11L * c : 0);
        var expected = (long)vocab * c + (long)block * c + layers * perLayer + (bias ? 2 * c : c);

        Assert.Equal(expected, model.ParameterCount());
        Assert.Equal(expected - (long)block * c, model.NonEmbeddingParameterCount());
    }

    // logits (1, T, V) flattened -> the values of one vocabulary entry at every position
    private static float[] Logit(float[] logits, int token) =>
        Enumerable.Range(0, logits.Length / Vocab).Select(t => logits[t * Vocab + token]).ToArray();
}
