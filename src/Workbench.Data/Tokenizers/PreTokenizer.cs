// GPT-4's (cl100k) pre-tokenization: text is cut into chunks (words with their leading space,
// runs of up to three digits, punctuation runs, whitespace) and BPE merges never cross a chunk.
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
}
