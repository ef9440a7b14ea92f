// Incremental decoding holds back bytes of an unfinished character instead of printing halves.
using Workbench.Data.Tokenizers;

namespace Workbench.Data.Tests.Tokenizers;

public sealed class StreamingDecoderTests
{
    // No merges: every id is one byte, so multi-byte characters always span several ids.
    static readonly BpeTokenizer BytesOnly = BpeTokenizer.Train("", 260);

    [Fact]
    public void A_four_byte_emoji_appears_only_when_its_last_byte_arrives()
    {
        var decoder = new StreamingDecoder(BytesOnly);
        int[] ids = BytesOnly.Encode("a😀");

        Assert.Equal(["a", "", "", "", "😀"], ids.Select(decoder.Push));
        Assert.Equal("", decoder.Flush());
    }

    [Fact]
    public void An_unfinished_character_at_the_end_becomes_one_replacement_character_on_flush()
    {
        var decoder = new StreamingDecoder(BytesOnly);
        int[] ids = BytesOnly.Encode("é");

        Assert.Equal("", decoder.Push(ids[0]));
        Assert.Equal("\uFFFD", decoder.Flush());
    }

    [Fact]
    public void Special_tokens_stream_as_their_text()
    {
        var decoder = new StreamingDecoder(BytesOnly);

        Assert.Equal("<|endoftext|>", decoder.Push(BytesOnly.SpecialId("<|endoftext|>")!.Value));
    }
}
