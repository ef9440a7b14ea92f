// The char tokenizer's chat specials: only when asked for, at fixed ids, without touching the saved
// form of the tokenizers every earlier run trained.
using Workbench.Data.Tokenizers;

namespace Workbench.Data.Tests.Tokenizers;

public sealed class CharChatSpecialsTests
{
    const string Rendered = "<|im_start|>user\nWhat is 2 + 3?<|im_end|>\n<|im_start|>assistant\n5<|im_end|>\n<|endoftext|>";

    [Fact]
    public void A_chat_char_tokenizer_gives_the_four_specials_ids_0_to_3_with_pad_apart_from_end_of_turn()
    {
        var tok = CharTokenizer.TrainForChat([Rendered]);

        Assert.Equal(0, tok.SpecialId(SpecialTokens.EndOfText));
        Assert.Equal(1, tok.SpecialId(SpecialTokens.ImStart));
        Assert.Equal(2, tok.SpecialId(SpecialTokens.ImEnd));
        Assert.Equal(3, tok.SpecialId(SpecialTokens.Pad));
        Assert.NotEqual(tok.SpecialId(SpecialTokens.Pad), tok.SpecialId(SpecialTokens.ImEnd));
        Assert.Equal(0, tok.BoundaryId);
        Assert.True(tok.HasChatSpecials);
    }

    [Fact]
    public void The_vocabulary_holds_the_characters_around_the_specials_not_the_characters_of_their_names()
    {
        var tok = CharTokenizer.TrainForChat([Rendered]);

        string characters = string.Concat(tok.CodePoints.Select(char.ConvertFromUtf32));
        Assert.Equal("\n +235?Waehinrstu", characters);
        Assert.Equal(4 + characters.Length + 1, tok.VocabSize);
    }

    [Fact]
    public void Allowed_specials_encode_to_their_ids_and_disallowed_ones_as_characters()
    {
        var tok = CharTokenizer.TrainForChat([Rendered, "<|>_md"]);

        int[] special = tok.Encode("<|im_end|><|pad|>", allowSpecial: true);
        int[] plain = tok.Encode("<|im_end|>");

        Assert.Equal([2, 3], special);
        Assert.Equal(10, plain.Length);
        Assert.DoesNotContain(2, plain);
        Assert.Equal("<|im_end|>", tok.Decode(plain));
    }

    [Fact]
    public void A_saved_chat_tokenizer_loads_back_with_its_specials_and_hash()
    {
        var tok = CharTokenizer.TrainForChat([Rendered]);

        var loaded = Assert.IsType<CharTokenizer>(Tokenizer.Load(tok.Save()));

        Assert.Equal(tok.Hash, loaded.Hash);
        Assert.True(loaded.HasChatSpecials);
        Assert.Equal(3, loaded.SpecialId(SpecialTokens.Pad));
        Assert.Equal(tok.Encode(Rendered, allowSpecial: true), loaded.Encode(Rendered, allowSpecial: true));
        Assert.EndsWith("\"boundary\":true,\"chat\":true}", tok.Save());
    }

    [Fact]
    public void Tokenizers_trained_without_chat_keep_the_saved_form_earlier_runs_wrote()
    {
        Assert.Equal("""{"version":1,"kind":"char","code_points":[97,98],"boundary":true}""", CharTokenizer.Train(["ab"], withBoundary: true).Save());
        Assert.Equal("""{"version":1,"kind":"char","code_points":[97,98],"boundary":false}""", CharTokenizer.Train("ab").Save());
        Assert.Null(CharTokenizer.Train(["ab"], withBoundary: true).SpecialId(SpecialTokens.ImEnd));
        Assert.False(CharTokenizer.Train(["ab"], withBoundary: true).HasChatSpecials);
    }

    [Theory]
    [InlineData("""{"version":1,"kind":"char","code_points":[97],"boundary":false,"chat":true}""", "\"chat\" is true but \"boundary\" is false")]
    [InlineData("""{"version":1,"kind":"char","code_points":[97],"boundary":true,"chat":1}""", "\"chat\" must be true or false")]
    public void A_damaged_chat_flag_is_refused_with_a_message_that_names_it(string json, string message)
    {
        var e = Assert.Throws<TokenizerFormatException>(() => Tokenizer.Load(json));
        Assert.Contains(message, e.Message);
    }
}
