// Reserved specials in byte-level BPE: fixed ids after the merges, encoded only when allowed.
using Workbench.Data.Tokenizers;

namespace Workbench.Data.Tests.Tokenizers;

public sealed class SpecialTokenTests
{
    static readonly BpeTokenizer Tok = BpeTokenizer.Train("hello world, hello there. <|endoftext|>", 300);

    [Fact]
    public void The_four_specials_take_the_last_four_ids_in_a_fixed_order()
    {
        int n = Tok.VocabSize;
        Assert.Equal(n - 4, Tok.SpecialId("<|endoftext|>"));
        Assert.Equal(n - 3, Tok.SpecialId("<|im_start|>"));
        Assert.Equal(n - 2, Tok.SpecialId("<|im_end|>"));
        Assert.Equal(n - 1, Tok.SpecialId("<|pad|>"));
        Assert.Null(Tok.SpecialId("<|unknown|>"));
    }

    [Fact]
    public void Allowed_specials_encode_to_their_id_between_ordinary_text()
    {
        int eot = Tok.SpecialId("<|endoftext|>")!.Value, start = Tok.SpecialId("<|im_start|>")!.Value;

        int[] ids = Tok.Encode("<|im_start|>hello<|endoftext|>", allowSpecial: true);

        Assert.Equal(start, ids[0]);
        Assert.Equal(eot, ids[^1]);
        Assert.Equal(Tok.Encode("hello"), ids[1..^1]);
        Assert.Equal("<|im_start|>hello<|endoftext|>", Tok.Decode(ids));
    }

    [Fact]
    public void Disallowed_specials_are_encoded_as_ordinary_text()
    {
        int[] ids = Tok.Encode("a<|endoftext|>b");

        Assert.DoesNotContain(Tok.SpecialId("<|endoftext|>")!.Value, ids);
        Assert.Equal("a<|endoftext|>b", Tok.Decode(ids));
    }
}
