// Autoregressive sampling from a language model: crop the context to block_size, take the last
// position's logits, scale by temperature, keep the top k, draw from the softmax, append, repeat.
using Workbench.Models;
using Workbench.Torch;
using Workbench.Torch.Nn;

namespace Workbench.Experiments.Sampling;

/// <summary>How many tokens to draw and how; <see cref="NeverDrawn"/> lists ids with no meaning as a
/// prediction (a char vocabulary's unknown, end-of-text in running text), which are never drawn.</summary>
public sealed record SampleSettings(int Tokens, double Temperature, int? TopK, IReadOnlyList<int>? NeverDrawn = null);

public static class TextSampler
{
    /// <summary>
    /// Generates <see cref="SampleSettings.Tokens"/> ids after <paramref name="prompt"/>, calling
    /// <paramref name="onToken"/> with each; draws come from the global generator (seed it for repeatability).
    /// <paramref name="boundary"/> is the token that separates lines (names), or null for running text.
    /// On lines the prompt starts a line, as every training line follows a boundary; on running text an
    /// empty prompt starts from id 0, as nanoGPT's does.
    /// </summary>
    public static List<int> Generate(Layer model, int blockSize, int? boundary, IReadOnlyList<int> prompt, SampleSettings settings,
        Device device, Action<int>? onToken = null)
    {
        var tokens = new List<int>();
        if (boundary is { } b && (prompt.Count == 0 || prompt[0] != b)) tokens.Add(b);
        else if (prompt.Count == 0) tokens.Add(0);
        tokens.AddRange(prompt);
        var generated = new List<int>();
        var wasTraining = model.Training;
        Tensor? banned = null;                                                                              // (1, V) bool, made once
        model.Eval();
        try
        {
            using var noGrad = new NoGrad();
            for (var i = 0; i < settings.Tokens; i++)
            {
                using var scope = TensorScope.Begin();
                var context = Context(model, tokens, blockSize, boundary);
                var input = Tensor.FromSpan<long>(context, ScalarType.Int64, [1, context.Length], device);    // (1, T)
                var logits = model.Forward(input);                                                           // (1, T, V) or (1, V)
                var last = logits.Dim == 3 ? logits.Narrow(1, logits.Size(1) - 1, 1).Squeeze(1) : logits;   // (1, V)
                last = last / settings.Temperature;
                if (settings.NeverDrawn is { Count: > 0 } never)
                {
                    banned ??= scope.Keep(BanMask(never, last.Size(-1), device));
                    last = last.MaskedFill(banned, double.NegativeInfinity);
                }
                if (settings.TopK is { } k && k < last.Size(-1))
                {
                    var (values, _) = last.TopK(k, -1);
                    var threshold = values.Narrow(-1, k - 1, 1);                                             // (1, 1)
                    last = last.MaskedFill(last.Lt(threshold), double.NegativeInfinity);
                }
                var next = (int)last.Softmax(-1).Multinomial(1).ItemInt64();
                tokens.Add(next);
                generated.Add(next);
                onToken?.Invoke(next);
            }
        }
        finally
        {
            banned?.Dispose();
            model.Train(wasTraining);
        }
        return generated;
    }

    private static Tensor BanMask(IReadOnlyList<int> never, long vocabSize, Device device)
    {
        var mask = new bool[vocabSize];
        foreach (var id in never)
        {
            if (id < 0 || id >= vocabSize) throw new ArgumentOutOfRangeException(nameof(never), $"id {id} is outside the vocabulary of {vocabSize}");
            mask[id] = true;
        }
        return Tensor.From(mask, 1, vocabSize).To(device);
    }

    // A GPT reads up to block_size tokens. The char MLP reads exactly block_size, as it was trained:
    // on lines each one starts afresh from a context of boundary tokens, so the window never crosses a
    // boundary; on running text (no boundary) the window slides across every token, id 0 included.
    private static long[] Context(Layer model, List<int> tokens, int blockSize, int? boundary)
    {
        var lineStart = model is CharMlp && boundary is { } b ? tokens.LastIndexOf(b) + 1 : 0;
        var take = Math.Min(tokens.Count - lineStart, blockSize);
        var context = tokens.Skip(tokens.Count - take).Select(t => (long)t);
        if (model is CharMlp && take < blockSize) context = Enumerable.Repeat((long)(boundary ?? 0), blockSize - take).Concat(context);
        return context.ToArray();
    }
}
