// Texts over a million characters are encoded in parallel pieces; the ids must not change.
using System.Text;
using Workbench.Data.Tokenizers;

namespace Workbench.Data.Tests.Tokenizers;

public sealed class ParallelEncodingTests
{
    [Fact]
    public void A_long_text_encodes_to_the_same_ids_as_its_chunks_encoded_one_by_one()
    {
        // Given 1.5 million characters of lines that start with letters, digits, spaces and marks
        string[] starts = ["Word", "12", " lead", "\tTab", "!bang", "\n", "  \n", "é", "😀", "x"];
        var random = new Random(5);
        var sb = new StringBuilder();
        while (sb.Length < 1_500_000)
            sb.Append(starts[random.Next(starts.Length)]).Append(" and some text, 42 ").Append('\n', random.Next(1, 3));
        string text = sb.ToString();
        var tok = BpeTokenizer.Train(text[..50_000], 400);

        int[] whole = tok.Encode(text);

        var oneByOne = PreTokenizer.Gpt4.Matches(text).SelectMany(m => tok.Encode(m.Value));
        Assert.Equal(oneByOne, whole);
        Assert.Equal(text, tok.Decode(whole));
    }
}
