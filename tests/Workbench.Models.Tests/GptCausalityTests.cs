// The GPT is causal: a token can only influence the logits at its own position and after it.
namespace Workbench.Models.Tests;

public sealed class GptCausalityTests
{
    private const int Vocab = 11;
    private const int Block = 16;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Changing_the_token_at_position_t_changes_no_logit_before_t_and_every_position_from_t_on(bool bias)
    {
        using var model = TinyModels.Gpt(bias, Vocab, Block);
        var tokens = Enumerable.Range(0, Block).Select(i => (long)(i * 7 % Vocab)).ToArray();
        using var input = TinyModels.Ids(tokens);
        var original = TinyModels.Evaluate(model, input);                          // (1, T, V) flattened

        foreach (var t in new[] { 0, 1, 7, Block - 2, Block - 1 })
        {
            var perturbed = (long[])tokens.Clone();
            perturbed[t] = (perturbed[t] + 5) % Vocab;
            using var changedInput = TinyModels.Ids(perturbed);

            var changed = TinyModels.Evaluate(model, changedInput);

            for (var position = 0; position < Block; position++)
            {
                var difference = Enumerable.Range(position * Vocab, Vocab).Max(i => Math.Abs(changed[i] - original[i]));
                if (position < t) Assert.True(difference == 0, $"token {t} changed the logits at earlier position {position} by {difference}");
                else Assert.True(difference > 1e-5, $"token {t} did not change the logits at position {position} (max change {difference})");
            }
        }
    }

    [Fact]
    public void A_prefix_gets_the_same_logits_as_the_start_of_the_longer_sequence()
    {
        using var model = TinyModels.Gpt(vocab: Vocab, block: Block);
        var tokens = Enumerable.Range(0, Block).Select(i => (long)(i * 3 % Vocab)).ToArray();
        using var full = TinyModels.Ids(tokens);
        using var prefix = TinyModels.Ids(tokens[..5]);

        var fullLogits = TinyModels.Evaluate(model, full);
        var prefixLogits = TinyModels.Evaluate(model, prefix);

        // Equal up to float32 rounding: a shorter sequence is another matrix shape, which BLAS may block differently.
        Close.Values([.. fullLogits[..prefixLogits.Length].Select(v => (double)v)], [.. prefixLogits.Select(v => (double)v)], "prefix logits");
    }
}
