// Picks the next token of each sequence from its last logits: never-drawn ids masked, then greedy
// argmax at temperature 0, or temperature, top-k, top-p and a draw from the softmax (the global generator).
using Workbench.Torch;

namespace Workbench.Experiments.Generation;

public sealed class NextTokenSampler : IDisposable
{
    private readonly GenerationSettings _settings;
    private readonly Tensor? _banned;                                                  // (1, V) bool, made once

    public NextTokenSampler(GenerationSettings settings, long vocabSize, Device device)
    {
        settings.Validate();
        _settings = settings;
        if (settings.NeverDrawn is { Count: > 0 } never) _banned = BanMask(never, vocabSize, device);
    }

    // (B, V) logits -> (B, 1) int64 token ids
    public Tensor Pick(Tensor logits)
    {
        if (_settings.Temperature == 0) return Banned(logits).ArgMax(-1, keepDim: true);
        var last = Banned(logits / _settings.Temperature);
        var vocab = last.Size(-1);
        if (_settings.TopK is { } k && k < vocab)
        {
            var (values, _) = last.TopK(k, -1);
            last = last.MaskedFill(last.Lt(values.Narrow(-1, k - 1, 1)), double.NegativeInfinity);   // below the k-th value
        }
        if (_settings.TopP is { } p && p < 1)
        {
            // Keep the likeliest tokens while the mass before each is below p: at least one, and the one that crosses p.
            var (sorted, _) = last.TopK(vocab, -1);                                                   // (B, V) descending
            var probs = sorted.Softmax(-1);
            var kept = (probs.CumSum(-1) - probs).Lt(p).Sum(-1, keepDim: true);                       // (B, 1) count
            var threshold = sorted.Gather(-1, (kept - 1.0).To(ScalarType.Int64));                     // (B, 1) smallest kept
            last = last.MaskedFill(last.Lt(threshold), double.NegativeInfinity);
        }
        return last.Softmax(-1).Multinomial(1);
    }

    private Tensor Banned(Tensor logits) => _banned is null ? logits : logits.MaskedFill(_banned, double.NegativeInfinity);

    private static Tensor BanMask(IReadOnlyList<int> never, long vocabSize, Device device)
    {
        var mask = new bool[vocabSize];
        foreach (var id in never)
        {
            if (id < 0 || id >= vocabSize) throw new ArgumentOutOfRangeException(nameof(never), $"id {id} is outside the vocabulary of {vocabSize}");
            mask[id] = true;
        }
        using var host = Tensor.From(mask, 1, vocabSize);
        return host.To(device);
    }

    public void Dispose() => _banned?.Dispose();
}
