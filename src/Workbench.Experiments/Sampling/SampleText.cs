// Turns sampled token ids into text as they arrive. On line datasets (names: one per line) the
// boundary token ends a line, so it is shown as a newline instead of its marker text.
using Workbench.Data.Tokenizers;

namespace Workbench.Experiments.Sampling;

public sealed class SampleText
{
    private readonly StreamingDecoder _decoder;
    private readonly int? _lineBreak;

    private SampleText(ITokenizer tokenizer, int? lineBreak)
    {
        _decoder = new StreamingDecoder(tokenizer);
        _lineBreak = lineBreak;
    }

    /// <summary>
    /// The token that ends a line and starts the next on line data (names: end-of-text); null on running
    /// text, where a BPE tokenizer's end-of-text never occurs in training.
    /// </summary>
    public static int? Boundary(ITokenizer tokenizer, string dataset) =>
        dataset == "names" ? tokenizer.SpecialId(SpecialTokens.EndOfText) : null;

    /// <summary>
    /// Ids a sample should never draw because no training target was ever one of them: a char
    /// vocabulary's unknown (characters unseen in training) and, on running text, end-of-text.
    /// </summary>
    public static IReadOnlyList<int> NeverDrawn(ITokenizer tokenizer, string dataset)
    {
        var never = new List<int>();
        if (tokenizer is CharTokenizer chars) never.Add(chars.UnknownId);
        if (Boundary(tokenizer, dataset) is null && tokenizer.SpecialId(SpecialTokens.EndOfText) is { } end) never.Add(end);
        return never;
    }

    public static SampleText For(ITokenizer tokenizer, string dataset) => new(tokenizer, Boundary(tokenizer, dataset));

    /// <summary>The text <paramref name="id"/> completes (empty while a multi-byte character is unfinished).</summary>
    public string Push(int id) => id == _lineBreak ? _decoder.Flush() + "\n" : _decoder.Push(id);

    public string Flush() => _decoder.Flush();

    public string Render(IEnumerable<int> ids) => string.Concat(ids.Select(Push)) + Flush();
}
