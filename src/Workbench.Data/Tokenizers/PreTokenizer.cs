// Pre-tokenization: text is cut into chunks (words with their leading space, digit runs,
// punctuation runs, whitespace) and BPE merges never cross a chunk. The project's own BPE cuts as
// GPT-4 (cl100k) does; GPT-2's vocabulary was learned on GPT-2's cuts, so it is encoded with those.
using System.Text.RegularExpressions;

namespace Workbench.Data.Tokenizers;

public static class PreTokenizer
{
    /// <summary>
    /// The cl100k split pattern. The original uses possessive quantifiers (<c>?+</c>, <c>++</c>),
    /// which .NET lacks; each is written as an atomic group <c>(?&gt;...)</c>, which means the same.
    /// NonBacktracking is not an option: it supports neither atomic groups nor the lookahead.
    /// .NET matches UTF-16 code units, so a letter outside the BMP (a surrogate pair) counts as a
    /// symbol, not \p{L}; a surrogate pair is never split, so every chunk is valid UTF-16.
    /// </summary>
    public const string Gpt4Pattern =
        @"'(?i:[sdmt]|ll|ve|re)|(?>[^\r\n\p{L}\p{N}]?)\p{L}+|\p{N}{1,3}| ?(?>[^\s\p{L}\p{N}]+)[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+";

    /// <summary>Compiled once for the process; matching is thread-safe.</summary>
    public static readonly Regex Gpt4 = new(Gpt4Pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);

    /// <summary>
    /// GPT-2's split pattern, as published with its encoder: contractions, letters, digits and
    /// punctuation each with at most one leading space, then whitespace. As in <see cref="Gpt4Pattern"/>,
    /// a letter outside the BMP is matched as a symbol (so is it by Microsoft.ML.Tokenizers' own GPT-2
    /// pattern, whose ids this one reproduces; Python's tiktoken counts it a letter).
    /// </summary>
    public const string Gpt2Pattern = @"'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public static readonly Regex Gpt2 = new(Gpt2Pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
}
