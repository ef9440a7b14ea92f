// Batched autoregressive generation from a GPT with a KV cache. Prompts of different lengths share one
// batch left-padded: each sequence's text starts at position 0 and a padding mask hides the pads from
// every query. The first step runs the prompts through the model and fills the cache; each later step
// feeds one token per sequence. Once the padded batch outgrows block_size the model reads only the last
// block_size columns, as the sliding window of a one-sequence sampler does, so the cache is rebuilt from
// them each step: outputs equal the sliding window's, token for token at temperature 0.
using Workbench.Models;
using Workbench.Torch;

namespace Workbench.Experiments.Generation;

public static class Generator
{
    /// <summary>
    /// Generates after each prompt (ids, at least one each) until it draws a stop token or has
    /// <see cref="GenerationSettings.MaxNewTokens"/>; calls <paramref name="onToken"/>(sequence, id) with each new
    /// token of a sequence still running. <paramref name="useCache"/> false recomputes the whole window every step
    /// (the reference the cache is checked and timed against).
    /// </summary>
    public static IReadOnlyList<Completion> Generate(Gpt model, IReadOnlyList<IReadOnlyList<int>> prompts, GenerationSettings settings,
        Device device, bool useCache = true, Action<int, int>? onToken = null)
    {
        settings.Validate();
        if (prompts.Count == 0) return [];
        if (prompts.FirstOrDefault(p => p.Count == 0) is not null)
            throw new ArgumentException("every prompt needs at least one token (start an empty one with end-of-text or id 0)", nameof(prompts));
        var blockSize = model.Config.BlockSize;
        var batch = new PaddedBatch(prompts);
        var completions = prompts.Select(_ => new List<int>()).ToArray();
        var stopped = new bool[prompts.Count];
        var stops = new HashSet<int>(settings.StopTokens ?? []);

        using (new SamplingScope(model, settings.Seed))
        {
            using var sampler = new NextTokenSampler(settings, model.Config.VocabSize, device);
            using var cache = useCache ? new KvCache(model.Config, prompts.Count, blockSize, device, model.HeadWeight.DType) : null;
            for (var step = 0; step < settings.MaxNewTokens && stopped.Contains(false); step++)
            {
                using var scope = TensorScope.Begin();
                var hidden = cache is { Length: > 0 } && batch.Width <= blockSize
                    ? batch.LastColumn(model, cache, device)                                  // (B, 1, C)
                    : batch.Window(model, blockSize, cache, device);                          // (B, T, C)
                var logits = model.Head(hidden.Narrow(1, hidden.Size(1) - 1, 1)).Squeeze(1);   // (B, V)
                var next = sampler.Pick(logits).ToArray<long>();                              // sync: the ids come to the host
                for (var i = 0; i < next.Length; i++)
                {
                    var id = (int)next[i];
                    batch.Append(i, id);
                    if (stopped[i]) continue;
                    completions[i].Add(id);
                    onToken?.Invoke(i, id);
                    stopped[i] = stops.Contains(id);
                }
            }
        }
        return completions.Select((c, i) => new Completion(c, stopped[i])).ToArray();
    }

    /// <summary>
    /// The batch's tokens on the host, left-padded to one width: every sequence gains one token a step (a stopped
    /// one too, ignored), so each keeps the pad count its prompt was given.
    /// </summary>
    private sealed class PaddedBatch(IReadOnlyList<IReadOnlyList<int>> prompts)
    {
        private readonly List<int>[] _tokens = prompts.Select(p => p.ToList()).ToArray();
        private readonly int[] _pads = prompts.Select(p => prompts.Max(q => q.Count) - p.Count).ToArray();

        public int Width => _tokens[0].Count + _pads[0];

        private int Rows => _tokens.Length;

        public void Append(int row, int id) => _tokens[row].Add(id);

        /// <summary>The last block_size columns (or all) through the model, from an empty cache (which they fill).</summary>
        public Tensor Window(Gpt model, int blockSize, KvCache? cache, Device device)
        {
            var width = Math.Min(Width, blockSize);
            var cropped = Width - width;
            var ids = new long[Rows * width];
            var positions = new long[Rows * width];
            var real = new bool[Rows * width];
            var padded = false;
            for (var i = 0; i < Rows; i++)
            {
                var pads = Math.Max(_pads[i] - cropped, 0);
                var skip = Math.Max(cropped - _pads[i], 0);                          // this sequence's tokens cropped away
                padded |= pads > 0;
                for (var j = pads; j < width; j++)
                {
                    ids[i * width + j] = _tokens[i][skip + j - pads];
                    positions[i * width + j] = j - pads;
                    real[i * width + j] = true;
                }
            }
            cache?.Clear();
            using var idx = Tensor.FromSpan<long>(ids, ScalarType.Int64, [Rows, width], device);         // (B, T)
            using var pos = Tensor.FromSpan<long>(positions, ScalarType.Int64, [Rows, width], device);   // (B, T)
            // Causal, and no query sees a pad; a pad query sees itself, so its row of scores is never all masked (NaN).
            Tensor? mask = null;
            if (padded)
            {
                using var keys = Tensor.FromSpan<bool>(real, ScalarType.Bool, [Rows, 1, 1, width], device);
                using var causal = Tensor.Ones([width, width], ScalarType.Bool, device).Tril();
                using var self = Tensor.Eye(width, dtype: ScalarType.Bool, device: device);
                mask = causal.LogicalAnd(keys.LogicalOr(self));                                             // (B, 1, T, T)
            }
            return model.Hidden(idx, pos, mask, cache);
        }

        /// <summary>Each sequence's newest token through the model, attending to the cached columns that are not pads.</summary>
        public Tensor LastColumn(Gpt model, KvCache cache, Device device)
        {
            var width = Width;
            var ids = new long[Rows];
            var positions = new long[Rows];
            var real = new bool[Rows * width];
            for (var i = 0; i < Rows; i++)
            {
                ids[i] = _tokens[i][^1];
                positions[i] = _tokens[i].Count - 1;
                real.AsSpan(i * width + _pads[i], width - _pads[i]).Fill(true);
            }
            using var idx = Tensor.FromSpan<long>(ids, ScalarType.Int64, [Rows, 1], device);          // (B, 1)
            using var pos = Tensor.FromSpan<long>(positions, ScalarType.Int64, [Rows, 1], device);    // (B, 1)
            using var mask = _pads.Any(p => p > 0)
                ? Tensor.FromSpan<bool>(real, ScalarType.Bool, [Rows, 1, 1, width], device)           // (B, 1, 1, S)
                : null;
            return model.Hidden(idx, pos, mask, cache);
        }
    }
}
