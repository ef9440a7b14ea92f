// Decodes ids one at a time for a sampler that prints as it goes: a BPE token can end in the
// middle of a multi-byte character, so incomplete UTF-8 is held back until the next token
// completes it, instead of printing U+FFFD halves.
using System.Text;

namespace Workbench.Data.Tokenizers;

public sealed class StreamingDecoder(ITokenizer tokenizer)
{
    // Invalid bytes become U+FFFD, as in Decode; an unfinished sequence waits in the decoder.
    readonly Decoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();

    /// <summary>The text that <paramref name="id"/> completes; empty while a character is unfinished.</summary>
    public string Push(int id) => Chars(tokenizer.TokenBytes(id), flush: false);

    /// <summary>Ends the stream: an unfinished character left over becomes U+FFFD.</summary>
    public string Flush() => Chars([], flush: true);

    string Chars(ReadOnlySpan<byte> bytes, bool flush)
    {
        Span<char> chars = stackalloc char[_utf8.GetCharCount(bytes, flush)];
        int n = _utf8.GetChars(bytes, chars, flush);
        return new string(chars[..n]);
    }
}
