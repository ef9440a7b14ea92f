// Sampling text from a language model, one prompt at a time, as eval samples and `workbench sample` do.
// A GPT goes through the batched KV-cache generator; the char MLP, which reads a fixed window and cannot
// cache, through the sliding-window loop: crop the context, take the last logits, pick, append, repeat.
using Workbench.Experiments.Generation;
using Workbench.Models;
using Workbench.Torch;
using Workbench.Torch.Nn;

namespace Workbench.Experiments.Sampling;

public static class TextSampler
{
    /// <summary>
    /// Generates up to <see cref="GenerationSettings.MaxNewTokens"/> ids after <paramref name="prompt"/>, calling
    /// <paramref name="onToken"/> with each. <paramref name="boundary"/> is the token that separates lines (names), or
    /// null for running text. On lines the prompt starts a line, as every training line follows a boundary; on running
    /// text an empty prompt starts from id 0, as nanoGPT's does.
    /// </summary>
    public static List<int> Generate(Layer model, int blockSize, int? boundary, IReadOnlyList<int> prompt, GenerationSettings settings,
        Device device, Action<int>? onToken = null)
    {
        var tokens = new List<int>();
        if (boundary is { } b && (prompt.Count == 0 || prompt[0] != b)) tokens.Add(b);
        else if (prompt.Count == 0) tokens.Add(0);
        tokens.AddRange(prompt);
        return model switch
        {
            Gpt gpt => Generator.Generate(gpt, [tokens], settings, device, onToken: (_, id) => onToken?.Invoke(id))[0].Tokens.ToList(),
            CharMlp mlp => SlidingWindow(mlp, blockSize, boundary, tokens, settings, device, onToken),
            _ => throw new ArgumentException($"a {model.GetType().Name} is not a language model", nameof(model)),
        };
    }

    private static List<int> SlidingWindow(CharMlp model, int blockSize, int? boundary, List<int> tokens, GenerationSettings settings,
        Device device, Action<int>? onToken)
    {
        var generated = new List<int>();
        var stops = settings.StopTokens ?? [];
        using (new SamplingScope(model, settings.Seed))
        {
            using var sampler = new NextTokenSampler(settings, model.VocabSize, device);
            for (var i = 0; i < settings.MaxNewTokens; i++)
            {
                using var scope = TensorScope.Begin();
                var context = Context(tokens, blockSize, boundary);
                var input = Tensor.FromSpan<long>(context, ScalarType.Int64, [1, context.Length], device);    // (1, T)
                var next = (int)sampler.Pick(model.Forward(input)).ItemInt64();                              // (1, V) logits
                tokens.Add(next);
                generated.Add(next);
                onToken?.Invoke(next);
                if (stops.Contains(next)) break;
            }
        }
        return generated;
    }

    // The char MLP reads exactly block_size tokens, as it was trained: on lines each one starts afresh from a
    // context of boundary tokens, so the window never crosses a boundary; on running text (no boundary) the
    // window slides across every token, id 0 included.
    private static long[] Context(List<int> tokens, int blockSize, int? boundary)
    {
        var lineStart = boundary is { } b ? tokens.LastIndexOf(b) + 1 : 0;
        var take = Math.Min(tokens.Count - lineStart, blockSize);
        var context = tokens.Skip(tokens.Count - take).Select(t => (long)t);
        if (take < blockSize) context = Enumerable.Repeat((long)(boundary ?? 0), blockSize - take).Concat(context);
        return context.ToArray();
    }
}
