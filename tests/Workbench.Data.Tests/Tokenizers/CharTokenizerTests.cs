// The character-level vocabulary: its id layout, unseen characters, and the boundary special.
using Workbench.Data.Tokenizers;

namespace Workbench.Data.Tests.Tokenizers;

public sealed class CharTokenizerTests
{
    [Fact]
    public void Names_with_a_boundary_get_makemore_ids_dot_zero_then_a_to_z()
    {
        // Given names framed makemore-style
        var tok = CharTokenizer.Train(["emma", "olivia", "ava", "zoe", "bcdfghjklmnpqrstuwxy"], withBoundary: true);

        Assert.Equal(0, tok.BoundaryId);
        Assert.Equal(0, tok.SpecialId(SpecialTokens.EndOfText));
        Assert.Equal([5, 13, 13, 1], tok.Encode("emma"));
        Assert.Equal(26, tok.Encode("z")[0]);
        Assert.Equal(27, tok.UnknownId);
        Assert.Equal(28, tok.VocabSize);
    }

    [Fact]
    public void The_vocabulary_is_sorted_by_code_point_whatever_the_text_order()
    {
        var tok = CharTokenizer.Train("cba\u00e9 a");

        Assert.Equal([' ', 'a', 'b', 'c', 0xE9], tok.CodePoints);
        Assert.Null(tok.BoundaryId);
        Assert.Equal(5, tok.UnknownId);
    }

    [Fact]
    public void A_surrogate_pair_is_one_character_with_one_id()
    {
        var tok = CharTokenizer.Train("a😀b");

        Assert.Equal(3, tok.Encode("😀ab").Length);
        Assert.Equal(["a", "b", "😀"], tok.CodePoints.Select(char.ConvertFromUtf32));
        Assert.Equal("😀", tok.Decode([tok.Encode("😀")[0]]));
    }

    [Fact]
    public void Unseen_characters_become_unk_are_counted_and_decode_to_the_replacement_character()
    {
        var tok = CharTokenizer.Train("abc");

        int[] ids = tok.Encode("abxyc😀", allowSpecial: false, out int unseen);

        Assert.Equal(3, unseen);
        Assert.Equal([0, 1, 3, 3, 2, 3], ids);
        Assert.Equal("ab\uFFFD\uFFFDc\uFFFD", tok.Decode(ids));
    }

    [Fact]
    public void The_boundary_text_is_one_id_only_when_specials_are_allowed()
    {
        var tok = CharTokenizer.Train(["ab", "<|endoftex>"], withBoundary: true);

        Assert.Equal([0, tok.Encode("a")[0], 0], tok.Encode("<|endoftext|>a<|endoftext|>", allowSpecial: true));
        Assert.Equal(13 + 1, tok.Encode("<|endoftext|>a").Length);
    }

    [Fact]
    public void Without_a_boundary_there_is_no_special_to_encode()
    {
        var tok = CharTokenizer.Train("<|endoftext|>");

        Assert.Null(tok.SpecialId(SpecialTokens.EndOfText));
        Assert.Equal(13, tok.Encode("<|endoftext|>", allowSpecial: true).Length);
    }

    [Fact]
    public void Decoding_an_id_outside_the_vocabulary_says_which_id()
    {
        var tok = CharTokenizer.Train("ab");

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => tok.Decode([7]));
        Assert.Contains("token id 7", e.Message);
    }
}
