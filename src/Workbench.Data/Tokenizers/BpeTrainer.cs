// Learns byte-level BPE merges from a training text, incrementally: after each merge only the
// words that hold the merged pair are revisited, and a max-heap with lazy invalidation finds the
// next most frequent pair. A recount of every pair per merge would be ~100x slower on SOTU.
using System.Runtime.InteropServices;
using System.Text;

namespace Workbench.Data.Tokenizers;

public static class BpeTrainer
{
    /// <summary>
    /// Returns up to <paramref name="mergeCount"/> merges, in order; merge i makes id 256 + i.
    /// Each step merges the pair with the highest count over the pre-tokenized chunks; ties go to
    /// the smallest (left id, right id). Stops early when no pair is left (a tiny corpus).
    /// <paramref name="progress"/> receives the number of merges done.
    /// </summary>
    public static List<(int Left, int Right)> Train(string text, int mergeCount, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(mergeCount);
        var (words, lengths, freqs) = CountChunks(text);

        var counts = new Dictionary<long, long>(PairKey.Comparer);
        var wordsWithPair = new Dictionary<long, List<int>>(PairKey.Comparer);
        for (int w = 0; w < words.Length; w++)
        {
            for (int i = 0; i + 1 < lengths[w]; i++)
            {
                long key = PairKey.Of(words[w][i], words[w][i + 1]);
                CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _) += freqs[w];
                Index(wordsWithPair, key, w);
            }
        }

        // Highest count first; ties: smallest pair key, i.e. smallest left id, then right id.
        var heap = new PriorityQueue<long, (long Count, long Key)>(
            Comparer<(long Count, long Key)>.Create((x, y) =>
                x.Count != y.Count ? y.Count.CompareTo(x.Count) : x.Key.CompareTo(y.Key)));
        foreach (var (key, count) in counts) heap.Enqueue(key, (count, key));

        var merges = new List<(int, int)>(mergeCount);
        var deltas = new Dictionary<long, long>(PairKey.Comparer);
        var visitedAt = new int[words.Length];
        Array.Fill(visitedAt, -1);

        while (merges.Count < mergeCount && heap.TryDequeue(out long best, out var entry))
        {
            // An entry is stale once the pair's count moved on; a fresh entry was queued then.
            if (!counts.TryGetValue(best, out long current) || current != entry.Count) continue;

            int merge = merges.Count, newId = 256 + merge;
            var (left, right) = PairKey.Split(best);
            merges.Add((left, right));
            deltas.Clear();

            foreach (int w in wordsWithPair[best])
            {
                if (visitedAt[w] == merge) continue;
                visitedAt[w] = merge;
                int[] word = words[w];
                int n = lengths[w];
                long f = freqs[w];
                if (!Contains(word, n, left, right)) continue;  // the index is not pruned, so it can be stale

                for (int i = 0; i + 1 < n; i++) CollectionsMarshal.GetValueRefOrAddDefault(deltas, PairKey.Of(word[i], word[i + 1]), out _) -= f;
                n = lengths[w] = MergeInPlace(word, n, left, right, newId);
                for (int i = 0; i + 1 < n; i++)
                {
                    long key = PairKey.Of(word[i], word[i + 1]);
                    CollectionsMarshal.GetValueRefOrAddDefault(deltas, key, out _) += f;
                    if (word[i] == newId || word[i + 1] == newId) Index(wordsWithPair, key, w);
                }
            }

            wordsWithPair.Remove(best);
            foreach (var (key, delta) in deltas)
            {
                if (delta == 0) continue;
                ref long count = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _);
                count += delta;
                if (count > 0) heap.Enqueue(key, (count, key));
                else { counts.Remove(key); wordsWithPair.Remove(key); }
            }
            progress?.Report(merges.Count);
        }
        return merges;
    }

    /// <summary>Unique pre-token chunks of the text as UTF-8 byte ids, with how often each occurs.</summary>
    static (int[][] Words, int[] Lengths, long[] Freqs) CountChunks(string text)
    {
        var chunkCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        var lookup = chunkCounts.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var m in PreTokenizer.Gpt4.EnumerateMatches(text))
        {
            CollectionsMarshal.GetValueRefOrAddDefault(lookup, text.AsSpan(m.Index, m.Length), out _)++;
        }

        // Sorted so the word order, and with it everything after, never depends on hashing.
        var keys = chunkCounts.Keys.ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        var words = new int[keys.Length][];
        var lengths = new int[keys.Length];
        var freqs = new long[keys.Length];
        for (int w = 0; w < keys.Length; w++)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(keys[w]);
            words[w] = Array.ConvertAll(bytes, b => (int)b);
            lengths[w] = bytes.Length;
            freqs[w] = chunkCounts[keys[w]];
        }
        return (words, lengths, freqs);
    }

    /// <summary>Replaces each (left, right), left to right without overlap, by newId; returns the new length.</summary>
    internal static int MergeInPlace(Span<int> ids, int n, int left, int right, int newId)
    {
        int write = 0;
        for (int read = 0; read < n; read++)
        {
            if (read + 1 < n && ids[read] == left && ids[read + 1] == right)
            {
                ids[write++] = newId;
                read++;
            }
            else ids[write++] = ids[read];
        }
        return write;
    }

    static bool Contains(int[] word, int n, int left, int right)
    {
        for (int i = 0; i + 1 < n; i++)
            if (word[i] == left && word[i + 1] == right) return true;
        return false;
    }

    static void Index(Dictionary<long, List<int>> wordsWithPair, long key, int w)
    {
        ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(wordsWithPair, key, out _);
        list ??= [];
        if (list.Count == 0 || list[^1] != w) list.Add(w);
    }
}
