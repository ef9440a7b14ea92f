// Batched generation with a KV cache: greedy decoding equals the one-sequence sliding window token for
// token (past block_size too, prompts of different lengths in one batch), seeded draws repeat, sequences
// stop independently, top-k and top-p draw only inside their sets, and the cached forward equals the full one.
using Workbench.Experiments.Generation;
using Workbench.Torch;
using Workbench.Torch.Nn;

namespace Workbench.Models.Tests;

public sealed class GenerationTests
{
    private const int Vocab = 11;
    private const int Block = 8;
    private static readonly int[][] Prompts = [[1, 2, 3], [4], [5, 6, 7, 8, 9, 10], [3, 3]];

    [Fact]
    public void Greedy_kv_cache_generation_of_a_batch_equals_each_prompts_sliding_window_past_block_size()
    {
        using var model = Sharp();
        var greedy = new GenerationSettings(MaxNewTokens: 3 * Block, Temperature: 0);

        var cached = Generator.Generate(model, Prompts, greedy, Device.Cpu);
        var uncached = Generator.Generate(model, Prompts, greedy, Device.Cpu, useCache: false);

        for (var i = 0; i < Prompts.Length; i++)
        {
            var window = SlidingWindowGreedy(model, Prompts[i], 3 * Block);
            Assert.Equal(window, cached[i].Tokens);
            Assert.Equal(window, uncached[i].Tokens);
        }
        Assert.True(cached.Select(c => string.Join(",", c.Tokens)).Distinct().Count() > 1, "the prompts should lead to different texts");
    }

    [Fact]
    public void Sampling_with_a_seed_repeats_leaves_the_global_generator_alone_and_another_seed_differs()
    {
        using var model = Sharp();
        var draws = new GenerationSettings(MaxNewTokens: 20, Temperature: 1.0, Seed: 5);
        Torch.Torch.ManualSeed(99);
        var before = RngState.Capture();

        var first = Generator.Generate(model, Prompts, draws, Device.Cpu);
        var again = Generator.Generate(model, Prompts, draws, Device.Cpu);
        var other = Generator.Generate(model, Prompts, draws with { Seed = 6 }, Device.Cpu);

        Assert.Equal(first.Select(c => c.Tokens), again.Select(c => c.Tokens));
        Assert.NotEqual(first.Select(c => c.Tokens), other.Select(c => c.Tokens));
        Assert.Equal(before.CpuState, RngState.Capture().CpuState);
    }

    [Fact]
    public void Sequences_of_different_lengths_in_one_batch_stop_independently_at_their_stop_tokens()
    {
        using var model = Sharp();
        var greedy = new GenerationSettings(MaxNewTokens: 12, Temperature: 0);
        var free = Generator.Generate(model, Prompts, greedy, Device.Cpu);
        int[] stops = [free[0].Tokens[2], free[2].Tokens[5]];                 // an end-of-text and an end-of-turn, say

        var stopped = Generator.Generate(model, Prompts, greedy with { StopTokens = stops }, Device.Cpu);

        for (var i = 0; i < Prompts.Length; i++)
        {
            var at = free[i].Tokens.ToList().FindIndex(stops.Contains);
            var expected = at < 0 ? free[i].Tokens : free[i].Tokens.Take(at + 1).ToList();
            Assert.Equal(expected, stopped[i].Tokens);
            Assert.Equal(at >= 0, stopped[i].Stopped);
        }
        Assert.True(stopped.Select(c => c.Tokens.Count).Distinct().Count() > 1, "the sequences should stop after different numbers of tokens");
    }

    [Fact]
    public void Top_k_and_top_p_draw_only_inside_their_sets_and_reach_all_of_them()
    {
        // Probabilities 0.4, 0.25, 0.15, 0.1, 0.05, 0.05 (ids 5, 0, 3, 1, 2, 4): top-3 is {5, 0, 3}; top-p 0.7 needs
        // 5, 0 (0.65) and then 3 to reach 0.7, so it is {5, 0, 3} too; top-p 0.5 is {5, 0}.
        double[] probs = [0.25, 0.1, 0.05, 0.15, 0.05, 0.4];
        const int rows = 4000;
        using var logits = Tensor.From(probs.Select(p => Math.Log(p)).ToArray(), 1, probs.Length).To(ScalarType.Float32).Expand(rows, probs.Length);
        Torch.Torch.ManualSeed(3);

        Assert.Equal([0, 3, 5], Draws(logits, new GenerationSettings(1, TopK: 3)));
        Assert.Equal([0, 3, 5], Draws(logits, new GenerationSettings(1, TopP: 0.7)));
        Assert.Equal([0, 5], Draws(logits, new GenerationSettings(1, TopP: 0.5)));
        Assert.Equal([5], Draws(logits, new GenerationSettings(1, TopK: 3, TopP: 0.3)));
        Assert.Equal([0, 1, 2, 3, 4, 5], Draws(logits, new GenerationSettings(1)));
    }

    [Fact]
    public void A_forward_one_token_at_a_time_through_the_cache_gives_the_logits_of_the_full_forward()
    {
        using var model = Sharp();
        model.Eval();
        using var noGrad = new NoGrad();
        using var scope = TensorScope.Begin();
        using var ids = TinyModels.Ids([1, 4, 2, 7, 7, 3, 9, 0, 5, 6, 1, 2, 8, 10, 4, 3], 2, Block);   // (2, 8)
        using var cache = new KvCache(model.Config, batch: 2, capacity: Block, Device.Cpu);

        var full = model.Forward(ids);                                                               // (2, 8, V)
        var prefill = model.Head(model.Hidden(ids.Narrow(1, 0, 3), cache: cache));                  // (2, 3, V)
        var steps = Enumerable.Range(3, Block - 3).Select(t => model.Head(model.Hidden(ids.Narrow(1, t, 1), cache: cache))).ToList();

        Close.Assert(full, Tensor.Cat([prefill, .. steps], 1), "cached logits");
        Assert.Equal(Block, cache.Length);
    }

    [Fact]
    public void Generation_leaves_no_tensors_behind_and_the_model_in_its_mode()
    {
        using var model = Sharp();
        model.Train();
        var live = TensorCensus.Take();

        Generator.Generate(model, Prompts, new GenerationSettings(MaxNewTokens: 2 * Block, TopK: 4, TopP: 0.9, NeverDrawn: [0], Seed: 1), Device.Cpu);

        Assert.Equal(live, TensorCensus.Take());
        Assert.True(model.Training);
    }

    // At GPT-2 init the logits hardly depend on the input; larger weights make greedy decoding follow the context
    // and keep the top two logits apart, so float rounding cannot flip an argmax.
    private static Gpt Sharp()
    {
        var model = TinyModels.Gpt(vocab: Vocab, block: Block);
        foreach (var p in model.Parameters()) Init.Normal_(p, 0, 0.5);
        return model;
    }

    private static List<int> SlidingWindowGreedy(Gpt model, int[] prompt, int tokens)
    {
        var context = prompt.Select(t => (long)t).ToList();
        var generated = new List<int>();
        for (var i = 0; i < tokens; i++)
        {
            using var input = TinyModels.Ids(context.TakeLast(Block).ToArray());
            var logits = TinyModels.Evaluate(model, input)[^Vocab..];
            var next = Array.IndexOf(logits, logits.Max());
            generated.Add(next);
            context.Add(next);
        }
        return generated;
    }

    private static int[] Draws(Tensor logits, GenerationSettings settings)
    {
        using var scope = TensorScope.Begin();
        using var sampler = new NextTokenSampler(settings, logits.Size(-1), Device.Cpu);
        return sampler.Pick(logits).ToArray<long>().Select(t => (int)t).Distinct().Order().ToArray();
    }
}
