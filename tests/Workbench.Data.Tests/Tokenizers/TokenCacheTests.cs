// The on-disk token cache: a second request for the same data and tokenizer reads, never re-encodes.
using Workbench.Data.Tokenizers;

namespace Workbench.Data.Tests.Tokenizers;

public sealed class TokenCacheTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("wb-token-cache-").FullName;
    int _encodes;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Text() { _encodes++; return "To be, or not to be, that is the question. 😀"; }

    [Fact]
    public void The_second_request_reads_the_cached_ids_without_encoding_again()
    {
        var tok = BpeTokenizer.Train("to be or not to be", 270);

        int[] first = TokenCache.GetOrEncode(_root, "abc123", tok, "train", Text);
        int[] second = TokenCache.GetOrEncode(_root, "abc123", tok, "train", Text);

        Assert.Equal(tok.Encode(Text()), first);
        Assert.Equal(first, second);
        Assert.Equal(2, _encodes);  // one by the cache, one above for the expected ids
        Assert.Empty(Directory.GetFiles(_root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Another_tokenizer_split_or_dataset_gets_its_own_entry()
    {
        var a = CharTokenizer.Train(Text());
        var b = CharTokenizer.Train(Text(), withBoundary: true);
        _encodes = 0;

        TokenCache.GetOrEncode(_root, "d1", a, "train", Text);
        TokenCache.GetOrEncode(_root, "d1", b, "train", Text);
        TokenCache.GetOrEncode(_root, "d1", a, "val", Text);
        TokenCache.GetOrEncode(_root, "d2", a, "train", Text);

        Assert.Equal(4, _encodes);
    }

    [Fact]
    public void Ids_of_a_vocabulary_over_65536_are_stored_as_int32_and_read_back_exactly()
    {
        // Given 70,000 distinct characters: ids above the uint16 range
        string text = string.Concat(Enumerable.Range(0x20000, 70_000).Select(char.ConvertFromUtf32));
        var tok = CharTokenizer.Train(text);

        int[] ids = TokenCache.GetOrEncode(_root, "big", tok, "train", () => text);
        int[] again = TokenCache.GetOrEncode(_root, "big", tok, "train", () => throw new InvalidOperationException("should be cached"));

        Assert.Equal(69_999, again[^1]);
        Assert.Equal(ids, again);
        string header = File.ReadAllText(Directory.GetFiles(_root, "train.json", SearchOption.AllDirectories).Single());
        Assert.Contains("\"dtype\": \"int32\"", header);
    }

    [Fact]
    public void A_truncated_token_file_is_encoded_again_instead_of_read()
    {
        var tok = CharTokenizer.Train(Text());
        int[] first = TokenCache.GetOrEncode(_root, "d1", tok, "train", Text);
        string bin = Directory.GetFiles(_root, "train.bin", SearchOption.AllDirectories).Single();
        File.WriteAllBytes(bin, File.ReadAllBytes(bin)[..^2]);

        int[] second = TokenCache.GetOrEncode(_root, "d1", tok, "train", Text);

        Assert.Equal(first, second);
        Assert.Equal(3, _encodes);
    }

    [Fact]
    public void A_split_name_that_is_not_a_plain_file_name_is_refused()
    {
        var tok = CharTokenizer.Train("ab");

        var e = Assert.Throws<ArgumentException>(() => TokenCache.GetOrEncode(_root, "d1", tok, "../x", Text));
        Assert.Contains("split \"../x\"", e.Message);
    }
}
