// The reserved special tokens and the split of text around them, shared by both tokenizer kinds.
namespace Workbench.Data.Tokenizers;

public static class SpecialTokens
{
    public const string EndOfText = "<|endoftext|>";
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";
    public const string Pad = "<|pad|>";

    /// <summary>The specials every BPE tokenizer reserves, in id order (they take the last ids).</summary>
    public static readonly IReadOnlyList<string> Bpe = [EndOfText, ImStart, ImEnd, Pad];

    /// <summary>
    /// Splits text into runs of ordinary text and special tokens, left to right; at one position the
    /// longest special wins. Calls <paramref name="onText"/> for each non-empty run of ordinary text
    /// and <paramref name="onSpecial"/> with the index (into <paramref name="specials"/>) of each special.
    /// </summary>
    public static void Split(
        string text, IReadOnlyList<string> specials, Action<int, int> onText, Action<int> onSpecial)
    {
        int start = 0, i = 0;
        while (i < text.Length)
        {
            // Every special starts with '<', so other positions are skipped cheaply.
            int next = text.IndexOf('<', i);
            if (next < 0) break;
            int match = -1;
            for (int s = 0; s < specials.Count; s++)
            {
                if (text.AsSpan(next).StartsWith(specials[s], StringComparison.Ordinal)
                    && (match < 0 || specials[s].Length > specials[match].Length))
                    match = s;
            }
            if (match < 0) { i = next + 1; continue; }
            if (next > start) onText(start, next - start);
            onSpecial(match);
            i = start = next + specials[match].Length;
        }
        if (text.Length > start) onText(start, text.Length - start);
    }
}
