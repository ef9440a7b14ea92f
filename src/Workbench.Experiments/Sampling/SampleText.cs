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

    /// <summary>The token that ends a line and starts the next (end-of-text), or null when the tokenizer has none.</summary>
    public static int? Boundary(ITokenizer tokenizer) => tokenizer.SpecialId(SpecialTokens.EndOfText);

    public static SampleText For(ITokenizer tokenizer, string dataset) =>
        new(tokenizer, dataset == "names" ? tokenizer.SpecialId(SpecialTokens.EndOfText) : null);

    /// <summary>The text <paramref name="id"/> completes (empty while a multi-byte character is unfinished).</summary>
    public string Push(int id) => id == _lineBreak ? _decoder.Flush() + "\n" : _decoder.Push(id);

    public string Flush() => _decoder.Flush();

    public string Render(IEnumerable<int> ids) => string.Concat(ids.Select(Push)) + Flush();
}
