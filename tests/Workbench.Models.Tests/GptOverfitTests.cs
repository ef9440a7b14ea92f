// End to end on one sentence: a tiny GPT memorises a short text, and greedy sampling from its first
// character writes the text back, which checks training, the causal mask and the sampler together.
using Workbench.Data.Tokenizers;
using Workbench.Experiments.Generation;
using Workbench.Experiments.Sampling;
using Workbench.Torch;

namespace Workbench.Models.Tests;

public sealed class GptOverfitTests
{
    private const string Text = "the quick brown fox jumps over the lazy dog, then naps again";

    [Fact]
    public void A_tiny_gpt_memorises_a_sentence_and_greedy_sampling_writes_it_back()
    {
        // One sequence of the whole text (block_size covers it): every target is determined by its prefix.
        var tokenizer = CharTokenizer.Train(Text);
        var ids = tokenizer.Encode(Text).Select(i => (long)i).ToArray();
        Assert.Equal(60, ids.Length);
        using var model = TinyModels.Gpt(bias: false, vocab: tokenizer.VocabSize, block: 64, layers: 2, heads: 2, embedding: 32);
        using var inputs = TinyModels.Ids(ids[..^1]);                            // (1, 59)
        using var targets = TinyModels.Ids(ids[1..]);                            // (1, 59)

        var loss = TinyModels.Train(model, inputs, targets, steps: 200, lr: 1e-2);

        Assert.True(loss < 0.05, $"loss after 200 steps is {loss}");
        Torch.Torch.ManualSeed(0);
        var sampled = TextSampler.Generate(model, blockSize: 64, boundary: null, [(int)ids[0]], new GenerationSettings(ids.Length - 1, Temperature: 0.1, TopK: null),
            Device.Cpu);
        Assert.Equal(Text, Text[0] + tokenizer.Decode(sampled.ToArray()));
    }
}
