// GPT-2's byte-to-character mapping, which byte-level BPE files (Hugging Face's tokenizer.json,
// GPT-2's vocab.json) use to write token bytes as text: the printable bytes ('!'-'~', '¡'-'¬',
// '®'-'ÿ') stand for themselves, and the other 68 (controls, space, DEL, NBSP, soft hyphen) take
// U+0100 upwards in byte order, so a space is 'Ġ' and a newline 'Ċ'.
using System.Text;

namespace Workbench.Data.Tokenizers;

static class ByteLevelAlphabet
{
    static readonly char[] CharOf = BuildCharOf();
    static readonly Dictionary<char, byte> ByteOf = Enumerable.Range(0, 256).ToDictionary(b => CharOf[b], b => (byte)b);

    static char[] BuildCharOf()
    {
        var chars = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            chars[b] = (char)(printable ? b : next++);
        }
        return chars;
    }

    public static string ToText(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        foreach (byte b in bytes) sb.Append(CharOf[b]);
        return sb.ToString();
    }

    /// <summary>The bytes a token's text stands for, or null when a character is outside the alphabet.</summary>
    public static byte[]? ToBytes(string text)
    {
        var bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            if (!ByteOf.TryGetValue(text[i], out bytes[i])) return null;
        }
        return bytes;
    }
}
