// The GPT-4 split pattern, written with atomic groups, cuts text where cl100k does.
using Workbench.Data.Tokenizers;

namespace Workbench.Data.Tests.Tokenizers;

public sealed class PreTokenizerTests
{
    static string[] Chunks(string text) => [.. PreTokenizer.Gpt4.Matches(text).Select(m => m.Value)];

    [Fact]
    public void Words_keep_their_leading_space_and_digits_go_in_threes()
    {
        Assert.Equal(
            ["Hello", " world", "'s", " ", "123", "45", " !!!\n\n", " ", " x"],
            Chunks("Hello world's 12345 !!!\n\n  x"));
    }

    [Fact]
    public void Contractions_match_case_insensitively_and_trailing_whitespace_stays_whole()
    {
        Assert.Equal(["I", "'LL", " go", "   "], Chunks("I'LL go   "));
    }

    [Fact]
    public void An_emoji_surrogate_pair_is_never_split_between_chunks()
    {
        string text = "a😀b 👍🏽x\U0001D400y";
        foreach (string chunk in Chunks(text))
        {
            Assert.False(char.IsHighSurrogate(chunk[^1]), $"chunk \"{chunk}\" ends inside a surrogate pair");
            Assert.False(char.IsLowSurrogate(chunk[0]), $"chunk \"{chunk}\" starts inside a surrogate pair");
        }
        Assert.Equal(text, string.Concat(Chunks(text)));
    }
}
