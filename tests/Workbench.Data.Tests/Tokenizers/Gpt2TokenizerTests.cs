// GPT-2's tokenizer: GPT-2's published ids, the project's specials after GPT-2's end-of-text,
// special strings as plain text unless allowed, exact round trips of hostile text, and a saved
// form that is tiny and names the vocabulary.
using System.Text;
using Workbench.Data.Tokenizers;

namespace Workbench.Data.Tests.Tokenizers;

public sealed class Gpt2TokenizerTests
{
    static readonly Gpt2Tokenizer Tok = Gpt2Tokenizer.Instance;

    [Fact]
    public void Text_encodes_to_gpt2s_own_ids()
    {
        // Ids as GPT-2's encoder gives them: "Hello" 15496, " world" 995, "\n" 198.
        Assert.Equal([15496, 995], Tok.Encode("Hello world"));
        Assert.Equal([15496, 995, 198], Tok.Encode("Hello world\n"));
        Assert.Equal(GptTwoEndOfText, Tok.SpecialId(SpecialTokens.EndOfText));
    }

    const int GptTwoEndOfText = 50256;

    [Fact]
    public void The_chat_specials_take_the_ids_after_gpt2s_end_of_text()
    {
        Assert.Equal(50257, Tok.SpecialId(SpecialTokens.ImStart));
        Assert.Equal(50258, Tok.SpecialId(SpecialTokens.ImEnd));
        Assert.Equal(50259, Tok.SpecialId(SpecialTokens.Pad));
        Assert.Null(Tok.SpecialId("<|unknown|>"));
        Assert.Equal(50260, Tok.VocabSize);
        Assert.Equal("gpt2", Tok.Kind);
    }

    [Fact]
    public void Allowed_specials_encode_to_their_ids_and_decode_back()
    {
        int[] ids = Tok.Encode("<|im_start|>Hello<|im_end|><|endoftext|><|pad|>", allowSpecial: true);

        Assert.Equal([50257, 15496, 50258, 50256, 50259], ids);
        Assert.Equal("<|im_start|>Hello<|im_end|><|endoftext|><|pad|>", Tok.Decode(ids));
    }

    [Fact]
    public void Disallowed_specials_are_encoded_as_the_plain_text_they_are()
    {
        int[] ids = Tok.Encode("a<|endoftext|>b <|im_start|>");

        // "<|endoftext|>" as ordinary text: "<", "|", "end", "of", "text", "|", ">" (GPT-2's encode_ordinary).
        Assert.Equal([64, 27, 91, 437, 1659, 5239, 91, 29, 65], ids[..9]);
        Assert.All(ids, id => Assert.True(id < GptTwoEndOfText, $"id {id} is a special"));
        Assert.Equal("a<|endoftext|>b <|im_start|>", Tok.Decode(ids));
    }

    [Theory]
    [InlineData("😀 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇺🇸")]
    [InlineData("𠜎𝐀 non-BMP 中文𠜎日本語")]
    [InlineData("line one\r\nline two\r\n\r\n")]
    [InlineData("nul\0inside\0\0 and \u007F, \uFEFF, \u200D")]
    [InlineData("   leading and trailing whitespace \t\n ")]
    [InlineData("e\u0301 a\u0300\u0316 ﬁ ß שלום مرحبا")]
    [InlineData("")]
    public void Hostile_text_round_trips_exactly(string text)
    {
        Assert.Equal(text, Tok.Decode(Tok.Encode(text)));
        Assert.Equal(text, Tok.Decode(Tok.Encode(text, allowSpecial: true)));
    }

    [Fact]
    public void Streaming_decode_gives_back_characters_split_across_tokens()
    {
        const string text = "emoji 😀 and 𠜎 split over byte tokens";
        var decoder = new StreamingDecoder(Tok);
        var sb = new StringBuilder();

        foreach (int id in Tok.Encode(text)) sb.Append(decoder.Push(id));

        Assert.Equal(text, sb.Append(decoder.Flush()).ToString());
    }

    [Fact]
    public void An_id_outside_the_vocabulary_is_refused_with_the_range()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tok.Decode([15496, 50260]));
        Assert.Contains("outside this GPT-2 vocabulary of 50260 ids", e.Message);
    }

    [Fact]
    public void The_saved_form_is_small_names_the_vocabulary_and_loads_back_with_the_same_hash()
    {
        string saved = Tok.Save();

        var loaded = Tokenizer.Load(saved);

        Assert.True(saved.Length < 400, saved);
        Assert.StartsWith("""{"version":1,"kind":"gpt2","vocabulary_sha256":""", saved);
        Assert.EndsWith(""","specials":{"<|endoftext|>":50256,"<|im_start|>":50257,"<|im_end|>":50258,"<|pad|>":50259}}""", saved);
        Assert.Same(Tok, loaded);
        // The hash names token caches and run records: it must not move between builds or machines.
        Assert.Equal(PinnedHash, loaded.Hash);
    }

    const string PinnedHash = "d88ff14e434c03e00da57ee89992bc3a1b25d83da9323d411e891447d18e3e6f";

    [Fact]
    public void A_saved_form_for_another_vocabulary_is_refused()
    {
        string other = Tok.Save().Replace("\"vocabulary_sha256\":\"", "\"vocabulary_sha256\":\"00");

        var e = Assert.Throws<TokenizerFormatException>(() => Tokenizer.Load(other));
        Assert.Contains("\"vocabulary_sha256\" is 00", e.Message);
        Assert.Contains("would not match", e.Message);
    }

    [Fact]
    public void A_saved_form_with_a_moved_special_is_refused()
    {
        string moved = Tok.Save().Replace("\"<|pad|>\":50259", "\"<|pad|>\":50300");

        var e = Assert.Throws<TokenizerFormatException>(() => Tokenizer.Load(moved));
        Assert.Contains("<|pad|> has id 50300; after GPT-2's 50,256 byte tokens it must be 50259", e.Message);
    }
}
