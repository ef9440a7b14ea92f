// Saved tokenizers load back identical, the content hash names them, and damaged files say what is wrong.
using System.Text.Encodings.Web;
using System.Text.Json;
using Workbench.Data.Tokenizers;

namespace Workbench.Data.Tests.Tokenizers;

public sealed class SaveLoadTests
{
    static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    const string Text = "It was the best of times, it was the worst of times; 1859 — déjà vu 😀.\n";

    [Fact]
    public void A_saved_bpe_tokenizer_loads_back_with_the_same_hash_and_encodings()
    {
        var tok = BpeTokenizer.Train(Text, 300);

        var loaded = Tokenizer.Load(tok.Save());

        Assert.IsType<BpeTokenizer>(loaded);
        Assert.Equal(tok.Hash, loaded.Hash);
        Assert.Equal(tok.VocabSize, loaded.VocabSize);
        Assert.Equal(tok.Encode(Text), loaded.Encode(Text));
        Assert.Equal(tok.Save(), loaded.Save());
    }

    [Fact]
    public void A_saved_char_tokenizer_loads_back_with_the_same_hash_and_encodings()
    {
        var tok = CharTokenizer.Train(Text, withBoundary: true);

        var loaded = Tokenizer.Load(tok.Save());

        Assert.IsType<CharTokenizer>(loaded);
        Assert.Equal(tok.Hash, loaded.Hash);
        Assert.Equal(tok.Encode(Text), loaded.Encode(Text));
    }

    [Fact]
    public void The_hash_is_the_sha256_of_the_canonical_form_not_of_the_file_layout()
    {
        var tok = BpeTokenizer.Train("aaabdaaabac", 263);
        string spaced = tok.Save().Replace("\"merges\":", "\n  \"merges\" : ").Replace("],[", "],\n    [");

        Assert.Equal(tok.Hash, Tokenizer.Load(spaced).Hash);
        Assert.Matches("^[0-9a-f]{64}$", tok.Hash);
        Assert.Equal(
            """{"version":1,"kind":"bpe","pattern":""" + JsonSerializer.Serialize(PreTokenizer.Gpt4Pattern, Relaxed) +
            ""","merges":[[97,97],[97,98],[256,257]],"specials":{"<|endoftext|>":259,"<|im_start|>":260,"<|im_end|>":261,"<|pad|>":262}}""",
            tok.Save());
    }

    [Fact]
    public void Tokenizers_trained_on_different_text_have_different_hashes()
    {
        Assert.NotEqual(BpeTokenizer.Train("aaab", 300).Hash, BpeTokenizer.Train("bbba", 300).Hash);
        Assert.NotEqual(CharTokenizer.Train("ab").Hash, CharTokenizer.Train("ab", withBoundary: true).Hash);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "top level must be an object")]
    [InlineData("""{"kind":"wordpiece"}""", "\"kind\" is \"wordpiece\"")]
    [InlineData("""{"version":2,"kind":"char","code_points":[],"boundary":false}""", "\"version\" is 2")]
    [InlineData("""{"version":1,"kind":"char","code_points":[98,97],"boundary":false}""", "code_points[1] = 97 breaks the ascending order")]
    [InlineData("""{"version":1,"kind":"char","code_points":[55296],"boundary":false}""", "not a Unicode scalar value")]
    [InlineData("""{"version":1,"kind":"char","code_points":[97]}""", "\"boundary\" is missing")]
    public void A_damaged_file_is_refused_with_a_message_that_names_the_field(string json, string message)
    {
        var e = Assert.Throws<TokenizerFormatException>(() => Tokenizer.Load(json));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_merge_that_refers_to_an_id_not_defined_yet_is_refused()
    {
        string json = BpeTokenizer.Train("aaabdaaabac", 263).Save().Replace("[256,257]", "[256,258]");

        var e = Assert.Throws<TokenizerFormatException>(() => Tokenizer.Load(json));
        Assert.Contains("merges[2] is [256, 258], but only ids 0-257 exist before it", e.Message);
    }

    [Fact]
    public void A_special_with_a_shifted_id_is_refused()
    {
        string json = BpeTokenizer.Train("aaabdaaabac", 263).Save().Replace("\"<|pad|>\":262", "\"<|pad|>\":300");

        var e = Assert.Throws<TokenizerFormatException>(() => Tokenizer.Load(json));
        Assert.Contains("<|pad|> has id 300", e.Message);
    }
}
