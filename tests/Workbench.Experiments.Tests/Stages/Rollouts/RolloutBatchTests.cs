// Rollouts: G completions per prompt from the batched generator, grouped by prompt, each masked up to and
// including its stop token, and scored by one padded forward pass exactly as each row alone would be.
using Workbench.Experiments.Generation;
using Workbench.Experiments.Stages.Rollouts;
using Workbench.Models;
using Workbench.Torch;

namespace Workbench.Experiments.Tests.Stages.Rollouts;

public sealed class RolloutBatchTests
{
    private const int Stop = 3, Pad = 0, MaxNew = 9;

    private static readonly int[][] Prompts = [[5, 6, 7], [8], [9, 10, 11, 4, 5, 6], [2, 4]];

    private static Gpt TinyGpt()
    {
        Torch.Torch.ManualSeed(5);
        return new Gpt(new GptConfig(12, 24, 2, 2, 16, Dropout: 0, Bias: false));
    }

    private static RolloutBatch Draw(Gpt model, int generations = 4, double temperature = 1.0) =>
        RolloutBatch.Generate(model, Prompts, generations, new GenerationSettings(MaxNew, Temperature: temperature, StopTokens: [Stop], Seed: 7), Pad,
            Device.Cpu);

    [Fact]
    public void Each_prompt_gets_g_completions_in_a_row_masked_up_to_and_including_their_end_of_turn()
    {
        var before = TensorCensus.Take();
        using (var model = TinyGpt())
        using (var rollout = Draw(model))
        {
            // Then there are G rows per prompt, grouped, and the mask covers each completion and its stop token
            Assert.Equal(16, rollout.Rows);
            Assert.Equal(Prompts.SelectMany(p => Enumerable.Repeat(p, 4)), rollout.Prompts);
            var mask = rollout.CompletionMask.ToArray<bool>();
            for (var r = 0; r < rollout.Rows; r++)
            {
                var tokens = rollout.Completions[r].Tokens;
                Assert.Equal(tokens.Count, mask.Skip(r * rollout.Width).Take(rollout.Width).Count(m => m));
                Assert.True(mask.Skip(r * rollout.Width).Take(tokens.Count).All(m => m), $"row {r}'s mask has a hole");
                // And a completion either ended with the stop token or was clipped at the limit
                Assert.Equal(tokens[^1] == Stop, rollout.Stopped[r]);
                if (!rollout.Stopped[r]) Assert.Equal(MaxNew, tokens.Count);
            }
            Assert.Contains(true, rollout.Stopped);
            Assert.Contains(false, rollout.Stopped);
            Assert.Equal(rollout.Completions.Max(c => c.Tokens.Count), rollout.Width);
            Assert.Equal(rollout.Completions.Sum(c => c.Tokens.Count), rollout.GeneratedTokens);
        }
        Assert.Equal(before, TensorCensus.Take());
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]   // drawn at T: scored at T too (logits / T), as TRL scores its rollouts
    public void Log_probabilities_and_entropies_are_those_of_each_row_scored_alone_at_the_temperature_it_was_drawn_at(double temperature)
    {
        using var scope = TensorScope.Begin();
        using var model = TinyGpt();
        using var rollout = Draw(model, temperature: temperature);
        using var noGrad = new NoGrad();
        var (logProbs, entropy) = rollout.LogProbsAndEntropy(model);

        for (var r = 0; r < rollout.Rows; r++)
        {
            // Given one row alone, unpadded: its completion's tokens are predicted at the positions before them
            var prompt = rollout.Prompts[r];
            var tokens = rollout.Completions[r].Tokens;
            var ids = prompt.Concat(tokens).Select(i => (long)i).ToArray();
            var log = (model.Forward(Tensor.From(ids[..^1], 1, ids.Length - 1)) / temperature).LogSoftmax(-1).Squeeze(0);   // (T, V)
            var at = log.Narrow(0, prompt.Length - 1, tokens.Count);                                        // (Tc_r, V)
            var expected = at.Gather(1, Tensor.From(tokens.Select(t => (long)t).ToArray(), tokens.Count, 1)).Squeeze(1);
            var expectedEntropy = -(at.Exp() * at).Sum(1);

            // Then the batch's values at that row's completion columns are the same, and 0 past its end
            Close.Assert(expected, logProbs.Narrow(0, r, 1).Squeeze(0).Narrow(0, 0, tokens.Count), $"log-probs of row {r}");
            Close.Assert(expected, rollout.OldLogProbs.Narrow(0, r, 1).Squeeze(0).Narrow(0, 0, tokens.Count), $"old log-probs of row {r}");
            Close.Assert(expectedEntropy, entropy.Narrow(0, r, 1).Squeeze(0).Narrow(0, 0, tokens.Count), $"entropy of row {r}");
            if (tokens.Count < rollout.Width)
                Assert.All(logProbs.Narrow(0, r, 1).Narrow(1, tokens.Count, rollout.Width - tokens.Count).ToArray<float>(), v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void The_same_seed_draws_the_same_completions_and_the_policys_mode_is_kept()
    {
        using var model = TinyGpt();
        model.Train();
        using var first = Draw(model, generations: 2);
        using var second = Draw(model, generations: 2);

        Assert.Equal(first.Completions.Select(c => c.Tokens), second.Completions.Select(c => c.Tokens));
        Assert.True(model.Training);
    }

    [Fact]
    public void Prompts_and_completions_longer_than_the_block_are_refused()
    {
        using var model = TinyGpt();
        var e = Assert.Throws<ArgumentException>(() =>
            RolloutBatch.Generate(model, Prompts, 2, new GenerationSettings(20, StopTokens: [Stop]), Pad, Device.Cpu));
        Assert.Contains("do not fit model.block_size 24", e.Message);
    }
}
