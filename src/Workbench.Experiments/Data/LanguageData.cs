// A language-model dataset on the training device: the tokenizer and, per split, either a token
// stream (random windows are cut from it) or, for line data with the char MLP, makemore's explicit
// (context, next token) examples where every name starts from a context of boundary tokens.
using Workbench.Data.Tokenizers;
using Workbench.Torch;

namespace Workbench.Experiments.Data;

/// <summary>One split's tokens. <see cref="Contexts"/> is set for example-based data, else <see cref="Stream"/>.</summary>
public sealed class TokenSplit : IDisposable
{
    private TokenSplit(Tensor? stream, Tensor? contexts, Tensor? targets, long tokens)
    {
        Stream = stream;
        Contexts = contexts;
        Targets = targets;
        Tokens = tokens;
    }

    public Tensor? Stream { get; }       // (N) int64
    public Tensor? Contexts { get; }     // (M, block_size) int64
    public Tensor? Targets { get; }      // (M) int64
    public long Tokens { get; }

    public static TokenSplit FromStream(int[] tokens, Device device) =>
        new(Tensor.FromSpan<long>(tokens.Select(t => (long)t).ToArray(), ScalarType.Int64, [tokens.Length], device), null, null, tokens.Length);

    /// <summary>makemore's framing: each line starts from block_size boundary tokens and ends by predicting the boundary.</summary>
    public static TokenSplit FromLines(IEnumerable<int[]> lines, int boundary, int blockSize, Device device)
    {
        var contexts = new List<long>();
        var targets = new List<long>();
        var window = new long[blockSize];
        foreach (var line in lines)
        {
            Array.Fill(window, boundary);
            foreach (var token in line.Append(boundary))
            {
                contexts.AddRange(window);
                targets.Add(token);
                Array.Copy(window, 1, window, 0, blockSize - 1);
                window[^1] = token;
            }
        }
        return new TokenSplit(null,
            Tensor.FromSpan<long>(contexts.ToArray(), ScalarType.Int64, [targets.Count, blockSize], device),
            Tensor.FromSpan<long>(targets.ToArray(), ScalarType.Int64, [targets.Count], device), targets.Count);
    }

    /// <summary>
    /// A random batch: for a stream, windows of <paramref name="context"/> tokens and their next tokens
    /// ((B, T) and (B, T) when <paramref name="sequenceTargets"/>, else (B, T) and (B)); for examples, rows.
    /// Offsets come from the global generator, so the seed (and a restored RNG state) fixes them.
    /// </summary>
    public (Tensor X, Tensor Y) Sample(int batchSize, int context, bool sequenceTargets, Device device)
    {
        if (Contexts != null)
        {
            using var rows = Tensor.RandInt(0, Targets!.Size(0), [batchSize], ScalarType.Int64, device);
            return (Contexts.IndexSelect(0, rows), Targets.IndexSelect(0, rows));
        }
        var span = Stream!.Size(0) - context;
        if (span < 1) throw new InvalidOperationException($"the split has {Stream.Size(0)} tokens, fewer than a window of {context + 1}");
        using var offsets = Tensor.RandInt(0, span, [batchSize, 1], ScalarType.Int64, device);           // (B, 1)
        using var positions = Tensor.Arange(0, context, 1, ScalarType.Int64, device);                   // (T)
        using var index = offsets + positions;                                                           // (B, T)
        var x = Pick(Stream, index);                                                                      // (B, T)
        if (sequenceTargets)
        {
            using var next = index + 1;
            return (x, Pick(Stream, next));                                                              // (B, T)
        }
        using var last = offsets + context;                                                              // (B, 1)
        using var y = Pick(Stream, last);
        return (x, y.Squeeze(1));                                                                        // (B)
    }

    // stream[index] for an index tensor of any shape: (N) x (B, T) -> (B, T).
    private static Tensor Pick(Tensor stream, Tensor index)
    {
        using var flat = index.Reshape(-1);
        using var picked = stream.IndexSelect(0, flat);
        return picked.Reshape(index.Shape);
    }

    public void Dispose()
    {
        Stream?.Dispose();
        Contexts?.Dispose();
        Targets?.Dispose();
    }
}

public sealed class LanguageData(ITokenizer tokenizer, TokenSplit train, TokenSplit val, string contentHash, ChatData? chat = null) : IDisposable
{
    /// <summary>Set when the text is chat data (the task suite): its held-out prompts, for val/exact_match.</summary>
    public ChatData? Chat { get; } = chat;

    public ITokenizer Tokenizer { get; } = tokenizer;
    public TokenSplit Train { get; } = train;
    public TokenSplit Val { get; } = val;
    public string ContentHash { get; } = contentHash;

    public void Dispose()
    {
        Train.Dispose();
        Val.Dispose();
    }
}
