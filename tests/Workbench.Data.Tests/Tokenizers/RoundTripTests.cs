// decode(encode(s)) == s for any valid Unicode string, checked on many seeded random strings
// that mix scripts, emoji sequences, combining marks, whitespace runs and digits.
using System.Text;
using Workbench.Data.Tokenizers;

namespace Workbench.Data.Tests.Tokenizers;

public sealed class RoundTripTests
{
    static readonly string[] Pieces =
    [
        "the", " quick", "Brown", " fox", "'s", "'LL", "don't", ".", ",", "!?", "...", "(", ")", "\"", "-",
        " ", "  ", "   ", "\t", "\n", "\r\n", "\n\n", " \n ", "\u00A0", "\u3000",
        "0", "7", "42", "1234567", "3.14", "1,000",
        "😀", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "👩🏿‍💻", "🇺🇸", "❤️",
        "中文", "日本語", "한국어", "漢", "𠜎", "\U0001D400",
        "é", "e\u0301", "a\u0300\u0316", "ñ", "Å", "ß", "ﬁ",
        "שלום", "مرحبا", "\u200F", "\u200E", "\u200D", "\uFEFF",
        "<|endoftext|>", "<|im_start|>", "<|", "|>", "\0", "\u007F", "\uFFFD",
    ];

    static string RandomText(Random random)
    {
        var sb = new StringBuilder();
        int pieces = random.Next(0, 25);
        for (int i = 0; i < pieces; i++)
        {
            if (random.Next(8) == 0) sb.Append(char.ConvertFromUtf32(RandomScalar(random)));
            else sb.Append(Pieces[random.Next(Pieces.Length)]);
        }
        return sb.ToString();
    }

    // Any scalar value: BMP without surrogates, or a supplementary plane.
    static int RandomScalar(Random random)
    {
        while (true)
        {
            int cp = random.Next(0, 0x110000);
            if (cp is < 0xD800 or > 0xDFFF) return cp;
        }
    }

    static readonly string TrainingText = string.Concat(Enumerable.Range(0, 300).Select(i => RandomText(new Random(i))));

    [Fact]
    public void Byte_level_bpe_decodes_every_encoded_random_string_back_to_itself()
    {
        var tok = BpeTokenizer.Train(TrainingText, 700);
        var random = new Random(1337);
        for (int i = 0; i < 3000; i++)
        {
            string s = RandomText(random);
            Assert.Equal(s, tok.Decode(tok.Encode(s)));
            Assert.Equal(s, tok.Decode(tok.Encode(s, allowSpecial: true)));
        }
    }

    [Fact]
    public void Gpt2_decodes_every_encoded_random_string_back_to_itself()
    {
        var tok = Gpt2Tokenizer.Instance;
        var random = new Random(2019);
        for (int i = 0; i < 3000; i++)
        {
            string s = RandomText(random);
            Assert.Equal(s, tok.Decode(tok.Encode(s)));
            Assert.Equal(s, tok.Decode(tok.Encode(s, allowSpecial: true)));
        }
    }

    [Fact]
    public void Character_level_decodes_every_encoded_string_of_seen_characters_back_to_itself()
    {
        var random = new Random(7);
        var texts = Enumerable.Range(0, 2000).Select(_ => RandomText(random)).ToArray();
        var tok = CharTokenizer.Train(string.Concat(texts), withBoundary: true);
        foreach (string s in texts)
        {
            Assert.Equal(s, tok.Decode(tok.Encode(s, allowSpecial: false, out int unseen)));
            Assert.Equal(0, unseen);
            Assert.Equal(s, tok.Decode(tok.Encode(s, allowSpecial: true)));
        }
    }

    [Fact]
    public void Streaming_decode_of_random_strings_token_by_token_gives_the_whole_string()
    {
        var tok = BpeTokenizer.Train(TrainingText, 400);
        var random = new Random(99);
        for (int i = 0; i < 500; i++)
        {
            string s = RandomText(random);
            var decoder = new StreamingDecoder(tok);
            var sb = new StringBuilder();
            foreach (int id in tok.Encode(s)) sb.Append(decoder.Push(id));
            sb.Append(decoder.Flush());
            Assert.Equal(s, sb.ToString());
        }
    }
}
