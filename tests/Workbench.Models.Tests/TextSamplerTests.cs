// Sampling text from the language models: seeded draws repeat, top_k = 1 is greedy decoding, a GPT
// reads at most block_size tokens, and on line data (names) a prompt and every new line start after the boundary.
using Workbench.Data.Tokenizers;
using Workbench.Experiments.Generation;
using Workbench.Experiments.Sampling;
using Workbench.Torch;
using Workbench.Torch.Nn;

namespace Workbench.Models.Tests;

public sealed class TextSamplerTests
{
    private const int Vocab = 11;
    private const int Block = 8;
    private static readonly GenerationSettings Draws = new(MaxNewTokens: 40, Temperature: 1.0, TopK: null);

    [Fact]
    public void Sampling_twice_after_the_same_seed_gives_the_same_tokens_and_another_seed_does_not()
    {
        using var model = TinyModels.Gpt(vocab: Vocab, block: Block);

        var first = Sample(model, seed: 5, Draws);
        var again = Sample(model, seed: 5, Draws);
        var other = Sample(model, seed: 6, Draws);

        Assert.Equal(40, first.Count);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Ids_listed_as_never_drawn_never_come_up_even_at_a_high_temperature()
    {
        using var model = TinyModels.Gpt(vocab: Vocab, block: Block);
        int[] never = [0, 3, 7];
        var hot = Draws with { MaxNewTokens = 300, Temperature = 5.0 };

        var free = Sample(model, seed: 4, hot);
        var restricted = Sample(model, seed: 4, hot with { NeverDrawn = never });

        Assert.Contains(free, never.Contains);                                  // they do come up when allowed
        Assert.DoesNotContain(restricted, never.Contains);
        Assert.Equal(Vocab - never.Length, restricted.Distinct().Count());      // and every other id still can
    }

    [Fact]
    public void A_never_drawn_id_is_skipped_by_greedy_decoding_for_the_next_likeliest()
    {
        using var model = TinyModels.Gpt(vocab: Vocab, block: Block);
        var greedy = Draws with { MaxNewTokens = 1, TopK = 1 };
        var first = Sample(model, seed: 5, greedy)[0];

        var instead = Sample(model, seed: 5, greedy with { NeverDrawn = [first] })[0];

        using var input = TinyModels.Ids([0]);
        var logits = TinyModels.Evaluate(model, input)[^Vocab..];
        var runnerUp = Enumerable.Range(0, Vocab).Where(i => i != first).MaxBy(i => logits[i]);
        Assert.Equal(runnerUp, instead);
    }

    [Fact]
    public void Unknown_characters_and_end_of_text_in_running_text_are_never_drawn_but_a_names_boundary_is()
    {
        var chars = CharTokenizer.Train("hello world");
        var names = CharTokenizer.Train(["ann", "bob"], withBoundary: true);
        var bpe = BpeTokenizer.Train("hello hello world world", vocabSize: 260);

        Assert.Equal([chars.UnknownId], SampleText.NeverDrawn(chars, "text"));
        Assert.Equal([names.UnknownId], SampleText.NeverDrawn(names, "names"));
        Assert.Equal([bpe.SpecialId(SpecialTokens.EndOfText)!.Value], SampleText.NeverDrawn(bpe, "sotu"));
    }

    [Fact]
    public void Top_k_1_is_greedy_decoding_over_the_last_block_size_tokens()
    {
        using var model = TinyModels.Gpt(vocab: Vocab, block: Block);
        int[] prompt = [1, 2, 3];

        var sampled = Sample(model, seed: 5, Draws with { TopK = 1 }, prompt);

        // The argmax of the last position's logits, given at most the last block_size tokens: 40 tokens
        // after a prompt of 3 means most steps must crop (the model rejects a longer input).
        var tokens = prompt.Select(t => (long)t).ToList();
        for (var i = 0; i < sampled.Count; i++)
        {
            var context = tokens.TakeLast(Block).ToArray();
            using var input = TinyModels.Ids(context);
            var logits = TinyModels.Evaluate(model, input)[^Vocab..];
            var greedy = Array.IndexOf(logits, logits.Max());
            Assert.True(greedy == sampled[i], $"token {i}: sampled {sampled[i]}, greedy {greedy}");
            tokens.Add(greedy);
        }
    }

    [Fact]
    public void A_gpt_samples_many_more_tokens_than_its_block_size_and_leaves_no_tensors_behind()
    {
        using var model = TinyModels.Gpt(vocab: Vocab, block: Block);
        var live = TensorCensus.Take();

        var sampled = Sample(model, seed: 1, Draws with { MaxNewTokens = 5 * Block });

        Assert.Equal(5 * Block, sampled.Count);
        Assert.All(sampled, t => Assert.InRange(t, 0, Vocab - 1));
        Assert.Equal(live, TensorCensus.Take());
    }

    [Fact]
    public void Sampling_leaves_the_model_in_the_mode_it_found_it()
    {
        using var model = TinyModels.Gpt(vocab: Vocab, block: Block);

        model.Train();
        Sample(model, seed: 1, Draws with { MaxNewTokens = 2 });
        Assert.True(model.Training);
        model.Eval();
        Sample(model, seed: 1, Draws with { MaxNewTokens = 2 });
        Assert.False(model.Training);
    }

    [Fact]
    public void After_the_boundary_token_a_char_mlp_continues_as_from_an_empty_prompt()
    {
        const int boundary = 0;
        using var model = CharMlp();
        var greedy = Draws with { MaxNewTokens = 12, TopK = 1 };

        var fresh = Sample(model, seed: 1, greedy, [], boundary);
        var afterLine = Sample(model, seed: 1, greedy, [4, 5, 6, 7, boundary], boundary);
        var midLine = Sample(model, seed: 1, greedy, [4, 5, 6, 7], boundary);

        Assert.Equal(fresh, afterLine);
        Assert.NotEqual(fresh, midLine);                                       // the context does matter
    }

    [Fact]
    public void On_line_data_a_gpt_reads_a_prompt_as_the_start_of_a_line()
    {
        const int boundary = 0;
        using var model = TinyModels.Gpt(vocab: Vocab, block: Block);
        // At GPT-2 init the logits hardly depend on the input; larger weights make greedy decoding follow the context.
        foreach (var p in model.Parameters()) Init.Normal_(p, 0, 0.5);
        var greedy = Draws with { MaxNewTokens = 12, TopK = 1 };

        var prompted = Sample(model, seed: 1, greedy, [4, 5], boundary);
        var afterBoundary = Sample(model, seed: 1, greedy, [boundary, 4, 5], boundary);
        var runningText = Sample(model, seed: 1, greedy, [4, 5], boundary: null);

        Assert.Equal(afterBoundary, prompted);
        Assert.NotEqual(runningText, prompted);                                // the boundary in front does matter
    }

    [Fact]
    public void Without_a_boundary_token_a_char_mlp_reads_across_id_0_like_any_token()
    {
        using var model = CharMlp();
        var greedy = Draws with { MaxNewTokens = 12, TopK = 1 };

        // Running text has no boundary; id 0 is an ordinary character (a newline, say) the training windows slide across.
        var acrossZero = Sample(model, seed: 1, greedy, [4, 5, 0, 6], boundary: null);
        var sameWindow = Sample(model, seed: 1, greedy, [9, 5, 0, 6], boundary: null);
        var restarted = Sample(model, seed: 1, greedy, [6], boundary: null);

        Assert.Equal(acrossZero, sameWindow);                                  // only the last block_size = 3 tokens count
        Assert.NotEqual(acrossZero, restarted);
    }

    private static CharMlp CharMlp()
    {
        Torch.Torch.ManualSeed(2);
        return new CharMlp(Vocab, blockSize: 3, embeddingSize: 4, [32], batchNorm: false, ActivationKind.Tanh);
    }

    private static List<int> Sample(Layer model, long seed, GenerationSettings settings, int[]? prompt = null, int? boundary = null)
    {
        var blockSize = model is CharMlp mlp ? mlp.BlockSize : ((Gpt)model).Config.BlockSize;
        Torch.Torch.ManualSeed(seed);
        return TextSampler.Generate(model, blockSize, boundary, prompt ?? [], settings, Device.Cpu);
    }
}
