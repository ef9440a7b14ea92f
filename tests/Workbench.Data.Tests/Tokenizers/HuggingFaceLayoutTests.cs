// A trained BPE exported in Hugging Face's tokenizer.json layout: the structure other tools expect
// (GPT-2's byte alphabet, the split, the added specials), a load back to the same tokenizer and
// hash (so token caches keep their keys), and damaged files refused with the part that is wrong.
using System.Text.Json;
using Workbench.Data.Tokenizers;

namespace Workbench.Data.Tests.Tokenizers;

public sealed class HuggingFaceLayoutTests
{
    const string Text = "It was the best of times, it was the worst of times; 1859 — déjà vu 😀.\n\tThe end.  \r\n";
    static readonly BpeTokenizer Trained = BpeTokenizer.Train(string.Concat(Enumerable.Repeat(Text, 5)), 360);

    [Fact]
    public void The_classic_example_exports_its_merges_and_vocab_in_gpt2s_byte_alphabet()
    {
        var tok = BpeTokenizer.Train("aaabdaaabac", 263);

        using var doc = JsonDocument.Parse(tok.Export());
        var root = doc.RootElement;
        var model = root.GetProperty("model");

        Assert.Equal("1.0", root.GetProperty("version").GetString());
        Assert.Equal("BPE", model.GetProperty("type").GetString());
        Assert.Equal(["a a", "a b", "aa ab"], model.GetProperty("merges").EnumerateArray().Select(m => m.GetString()!));
        var vocab = model.GetProperty("vocab");
        Assert.Equal(259, vocab.EnumerateObject().Count());
        Assert.Equal((97, 256, 257, 258), (vocab.GetProperty("a").GetInt32(), vocab.GetProperty("aa").GetInt32(),
                                          vocab.GetProperty("ab").GetInt32(), vocab.GetProperty("aaab").GetInt32()));
        // Bytes that are not printable take U+0100 up: NUL is 'Ā', space 'Ġ', newline 'Ċ'.
        Assert.Equal((0, 32, 10), (vocab.GetProperty("Ā").GetInt32(), vocab.GetProperty("Ġ").GetInt32(), vocab.GetProperty("Ċ").GetInt32()));
        var added = root.GetProperty("added_tokens").EnumerateArray().Select(t => (t.GetProperty("content").GetString(), t.GetProperty("id").GetInt32(), t.GetProperty("special").GetBoolean()));
        Assert.Equal([("<|endoftext|>", 259, true), ("<|im_start|>", 260, true), ("<|im_end|>", 261, true), ("<|pad|>", 262, true)], added);
    }

    [Fact]
    public void The_pre_tokenizer_is_gpt4s_split_then_the_byte_level_mapping_and_the_decoder_byte_level()
    {
        using var doc = JsonDocument.Parse(Trained.Export());
        var root = doc.RootElement;
        var steps = root.GetProperty("pre_tokenizer").GetProperty("pretokenizers").EnumerateArray().ToArray();

        Assert.Equal("Sequence", root.GetProperty("pre_tokenizer").GetProperty("type").GetString());
        Assert.Equal("Split", steps[0].GetProperty("type").GetString());
        Assert.Equal(PreTokenizer.Gpt4Pattern, steps[0].GetProperty("pattern").GetProperty("Regex").GetString());
        Assert.Equal("Isolated", steps[0].GetProperty("behavior").GetString());
        Assert.Equal("ByteLevel", steps[1].GetProperty("type").GetString());
        Assert.False(steps[1].GetProperty("use_regex").GetBoolean());
        Assert.False(steps[1].GetProperty("add_prefix_space").GetBoolean());
        Assert.Equal("ByteLevel", root.GetProperty("decoder").GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("normalizer").ValueKind);
    }

    [Fact]
    public void An_exported_file_loads_back_as_the_same_tokenizer_with_the_same_hash()
    {
        var loaded = Tokenizer.Load(Trained.Export());

        Assert.IsType<BpeTokenizer>(loaded);
        // The hash is the canonical form's, so a token cache written before the export is still found.
        Assert.Equal(Trained.Hash, loaded.Hash);
        Assert.Equal(Trained.Save(), loaded.Save());
        Assert.Equal(Trained.Encode(Text), loaded.Encode(Text));
        Assert.Equal(Text, loaded.Decode(loaded.Encode(Text)));
    }

    [Fact]
    public void A_file_in_the_earlier_canonical_form_still_loads()
    {
        var loaded = Tokenizer.Load(Trained.Save());

        Assert.Equal(Trained.Hash, loaded.Hash);
    }

    [Fact]
    public void Merges_written_as_pairs_of_strings_load_too()
    {
        var tok = BpeTokenizer.Train("aaabdaaabac", 263);
        string pairs = tok.Export().Replace("\"a a\"", "[\"a\", \"a\"]").Replace("\"aa ab\"", "[\"aa\", \"ab\"]");

        Assert.Equal(tok.Hash, Tokenizer.Load(pairs).Hash);
    }

    [Theory]
    [InlineData("\"type\": \"BPE\"", "\"type\": \"WordPiece\"", "model.type is \"WordPiece\"")]
    [InlineData("\"a b\"", "\"b a\"", "model.merges[1] names \"ba\", which model.vocab does not hold")]
    [InlineData("\"ab\": 257", "\"ab\": 300", "model.merges[1] makes \"ab\", id 300; in this build's layout merge 1 makes id 257")]
    [InlineData("\"Ġ\": 32", "\"Ġ\": 320", "model.vocab must give byte 32 (\"Ġ\") id 32")]
    [InlineData("\"invert\": false", "\"invert\": true", "\"pre_tokenizer\" must be GPT-4's split then the byte-level mapping")]
    [InlineData("\"use_regex\": false", "\"use_regex\": true", "\"pre_tokenizer\" must be GPT-4's split then the byte-level mapping")]
    [InlineData("\"content\": \"<|pad|>\"", "\"content\": \"<|unk|>\"", "added_tokens must give <|pad|> id 262")]
    [InlineData("\"normalizer\": null", "\"normalizer\": {\"type\": \"NFC\"}", "\"normalizer\" must be null")]
    public void A_damaged_file_is_refused_with_the_part_that_is_wrong(string from, string to, string message)
    {
        string exported = BpeTokenizer.Train("aaabdaaabac", 263).Export();
        Assert.Contains(from, exported);
        string damaged = exported.Replace(from, to);

        var e = Assert.Throws<TokenizerFormatException>(() => Tokenizer.Load(damaged));
        Assert.Contains(message, e.Message);
    }
}
