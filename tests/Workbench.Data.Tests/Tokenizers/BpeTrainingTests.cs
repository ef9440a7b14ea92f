// BPE training checked by hand on tiny corpora: which pairs merge, in which order, and the ids.
using Workbench.Data.Tokenizers;

namespace Workbench.Data.Tests.Tokenizers;

public sealed class BpeTrainingTests
{
    [Fact]
    public void Training_on_aaabdaaabac_makes_the_hand_checked_merges_and_ids()
    {
        // Given the classic BPE example (one chunk: the pre-tokenizer keeps letters together)
        // Pair counts: aa 4, ab 2, ... -> aa=256; then 256a 2 and ab 2 tie, the smaller pair ab=257
        // wins; then (256,257)=258.
        var tok = BpeTokenizer.Train("aaabdaaabac", vocabSize: 256 + 3 + 4);

        Assert.Equal([(97, 97), (97, 98), (256, 257)], tok.Merges);
        Assert.Equal([258, 100, 258, 97, 99], tok.Encode("aaabdaaabac"));
        Assert.Equal(263, tok.VocabSize);
        Assert.Equal(259, tok.SpecialId("<|endoftext|>"));
        Assert.Equal(262, tok.SpecialId("<|pad|>"));
    }

    [Fact]
    public void Training_counts_pre_token_chunks_so_merges_never_cross_a_space()
    {
        // Given chunks "hug", " hug" x2, " pug" x2: ug 5, then hug 3, then ties at 2 broken by the
        // smallest pair: " p" (32,112) before " hug" (32,257) before " pug" (258,256).
        var tok = BpeTokenizer.Train("hug hug hug pug pug", vocabSize: 256 + 5 + 4);

        Assert.Equal([(117, 103), (104, 256), (32, 112), (32, 257), (258, 256)], tok.Merges);
        Assert.Equal([257, 260], tok.Encode("hug pug"));
        Assert.Equal([259, 259, 104], tok.Encode(" hug hugh"));
    }

    [Fact]
    public void Training_stops_early_when_the_text_runs_out_of_pairs()
    {
        var tok = BpeTokenizer.Train("ab", vocabSize: 1000);

        Assert.Equal([(97, 98)], tok.Merges);
        Assert.Equal(256 + 1 + 4, tok.VocabSize);
    }

    [Fact]
    public void Training_twice_on_the_same_text_gives_the_same_tokenizer()
    {
        string text = string.Concat(Enumerable.Repeat("the cat sat on the mat; the dog ate 12345 bones.\n", 20));

        Assert.Equal(BpeTokenizer.Train(text, 300).Hash, BpeTokenizer.Train(text, 300).Hash);
    }

    [Fact]
    public void Training_reports_progress_once_per_merge()
    {
        var seen = new List<int>();
        BpeTokenizer.Train("aaabdaaabac", 263, new Collect(seen));

        Assert.Equal([1, 2, 3], seen);
    }

    [Fact]
    public void A_vocabulary_smaller_than_the_bytes_and_specials_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => BpeTokenizer.Train("abc", 200));
        Assert.Contains("at least 260", e.Message);
    }

    sealed class Collect(List<int> into) : IProgress<int>
    {
        public void Report(int value) => into.Add(value);
    }
}
