// Byte-level BPE with GPT-4 pre-tokenization. Ids: 0-255 are the raw bytes (so any text encodes),
// 256 + i is merge i, and the four reserved specials take the last ids, in SpecialTokens.Bpe order.
using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Workbench.Data.Tokenizers;

public sealed class BpeTokenizer : ITokenizer
{
    public const string KindName = "bpe";

    // Distinct chunks seen by Encode are remembered up to this many; natural text repeats a few
    // hundred thousand chunks, and a cache hit skips the UTF-8 conversion and the merge loop.
    const int ChunkCacheLimit = 1 << 20;

    // Below this many characters a text is encoded on one thread; above, in pieces on all cores.
    internal const int ParallelMinChars = 1 << 20;

    readonly (int Left, int Right)[] _merges;
    readonly Dictionary<long, int> _mergedId;  // pair key -> id it merges into; a lower id merges first
    readonly TokenBytesTable _bytes;
    readonly int _firstSpecial;
    readonly ConcurrentDictionary<string, int[]> _chunkCache = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _chunkLookup;
    int _chunkCount;
    readonly Lazy<string> _saved;
    readonly Lazy<string> _hash;

    BpeTokenizer((int Left, int Right)[] merges)
    {
        _merges = merges;
        _firstSpecial = 256 + merges.Length;
        _mergedId = new Dictionary<long, int>(merges.Length, PairKey.Comparer);
        var bytes = new byte[_firstSpecial + SpecialTokens.Bpe.Count][];
        for (int b = 0; b < 256; b++) bytes[b] = [(byte)b];
        for (int i = 0; i < merges.Length; i++)
        {
            var (left, right) = merges[i];
            _mergedId[PairKey.Of(left, right)] = 256 + i;
            bytes[256 + i] = [.. bytes[left], .. bytes[right]];
        }
        for (int s = 0; s < SpecialTokens.Bpe.Count; s++) bytes[_firstSpecial + s] = Encoding.UTF8.GetBytes(SpecialTokens.Bpe[s]);
        _bytes = new TokenBytesTable(bytes, "BPE vocabulary");
        _chunkLookup = _chunkCache.GetAlternateLookup<ReadOnlySpan<char>>();
        _saved = new(SaveCanonical);
        _hash = new(() => TokenizerJson.Sha256(_saved.Value));
    }

    public string Kind => KindName;
    public int VocabSize => _bytes.Count;
    public string Hash => _hash.Value;
    public string Pattern => PreTokenizer.Gpt4Pattern;
    public IReadOnlyList<(int Left, int Right)> Merges => _merges;

    /// <summary>The smallest vocabulary a byte-level BPE can have: every byte and the specials, no merges.</summary>
    public static int MinimumVocabSize => 256 + SpecialTokens.Bpe.Count;

    /// <summary>
    /// Trains on <paramref name="text"/> so that VocabSize is <paramref name="vocabSize"/>: 256 bytes,
    /// vocabSize - 260 merges, 4 specials (fewer merges only when the text runs out of pairs).
    /// </summary>

    public static BpeTokenizer Train(string text, int vocabSize, IProgress<int>? progress = null)
    {
        var minimum = MinimumVocabSize;
        if (vocabSize < minimum)
            throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize,
                $"a byte-level BPE vocabulary needs at least {minimum} ids (256 bytes + {SpecialTokens.Bpe.Count} specials)");
        return new([.. BpeTrainer.Train(text, vocabSize - minimum, progress)]);
    }

    public int[] Encode(string text, bool allowSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 4 + 16);
        if (!allowSpecial) EncodeOrdinary(text, 0, text.Length, ids);
        else SpecialTokens.Split(text, SpecialTokens.Bpe,
            (start, length) => EncodeOrdinary(text, start, length, ids),
            special => ids.Add(_firstSpecial + special));
        return [.. ids];
    }

    /// <summary>Long texts are cut where no chunk can cross and the pieces encoded in parallel.</summary>
    void EncodeOrdinary(string text, int start, int length, List<int> ids)
    {
        var cuts = length < ParallelMinChars ? [start, start + length] : SafeCuts(text, start, length, 4 * Environment.ProcessorCount);
        if (cuts.Count == 2)
        {
            EncodeChunks(text.AsSpan(start, length), ids);
            return;
        }
        var pieces = new List<int>[cuts.Count - 1];
        Parallel.For(0, pieces.Length, p =>
        {
            pieces[p] = new List<int>((cuts[p + 1] - cuts[p]) / 4 + 16);
            EncodeChunks(text.AsSpan(cuts[p], cuts[p + 1] - cuts[p]), pieces[p]);
        });
        foreach (var piece in pieces) ids.AddRange(piece);
    }

    /// <summary>
    /// Start, cut points and end. A cut goes after a '\n' that a letter or digit follows: no
    /// alternative of the split pattern matches across such a point (letters stop at '\n', the
    /// punctuation and whitespace alternatives end on it), so each piece splits as the whole would.
    /// </summary>
    static List<int> SafeCuts(string text, int start, int length, int pieces)
    {
        int end = start + length, step = Math.Max(length / pieces, 1);
        var cuts = new List<int> { start };
        for (int at = start + step; at < end; at = cuts[^1] + step)
        {
            int newline = text.IndexOf('\n', at, end - at);
            while (newline >= 0 && newline + 1 < end && !char.IsLetterOrDigit(text[newline + 1]))
                newline = text.IndexOf('\n', newline + 1, end - newline - 1);
            if (newline < 0 || newline + 1 >= end) break;
            cuts.Add(newline + 1);
        }
        cuts.Add(end);
        return cuts;
    }

    void EncodeChunks(ReadOnlySpan<char> text, List<int> ids)
    {
        foreach (var m in PreTokenizer.Gpt4.EnumerateMatches(text))
        {
            var chunk = text.Slice(m.Index, m.Length);
            if (!_chunkLookup.TryGetValue(chunk, out int[]? chunkIds))
            {
                chunkIds = EncodeChunk(chunk);
                // ConcurrentDictionary.Count takes every lock, so the cache counts its own entries.
                if (_chunkCount < ChunkCacheLimit && _chunkLookup.TryAdd(chunk, chunkIds)) Interlocked.Increment(ref _chunkCount);
            }
            ids.AddRange(chunkIds);
        }
    }

    /// <summary>Applies merges to one chunk, lowest id first, which replays training's order.</summary>
    int[] EncodeChunk(ReadOnlySpan<char> chunk)
    {
        int byteCount = Encoding.UTF8.GetByteCount(chunk);
        byte[] rented = ArrayPool<byte>.Shared.Rent(byteCount);
        int[] ids = new int[byteCount];
        int n = Encoding.UTF8.GetBytes(chunk, rented);
        for (int i = 0; i < n; i++) ids[i] = rented[i];
        ArrayPool<byte>.Shared.Return(rented);

        while (n > 1)
        {
            int bestId = int.MaxValue, bestAt = -1;
            for (int i = 0; i + 1 < n; i++)
            {
                if (_mergedId.TryGetValue(PairKey.Of(ids[i], ids[i + 1]), out int id) && id < bestId)
                {
                    bestId = id;
                    bestAt = i;
                }
            }
            if (bestAt < 0) break;
            n = BpeTrainer.MergeInPlace(ids, n, ids[bestAt], ids[bestAt + 1], bestId);
        }
        return n == ids.Length ? ids : ids[..n];
    }

    public string Decode(ReadOnlySpan<int> ids) => _bytes.Decode(ids);

    public ReadOnlySpan<byte> TokenBytes(int id) => _bytes[id];

    public int? SpecialId(string token)
    {
        for (int s = 0; s < SpecialTokens.Bpe.Count; s++)
            if (SpecialTokens.Bpe[s] == token) return _firstSpecial + s;
        return null;
    }

    public string Save() => _saved.Value;

    /// <summary>Hugging Face's tokenizer.json layout; the canonical form in the rare vocabulary where two merges made the same bytes.</summary>
    public string Export() => HuggingFaceLayout.Write(this) ?? Save();

    /// <summary>Reads a tokenizer.json that <see cref="Export"/> wrote; the tokenizer has the hash it was trained with.</summary>
    public static BpeTokenizer LoadHuggingFace(string json) => new(HuggingFaceLayout.ReadMerges(json));

    string SaveCanonical() => TokenizerJson.Write(w =>
    {
        w.WriteNumber("version", TokenizerJson.Version);
        w.WriteString("kind", KindName);
        w.WriteString("pattern", PreTokenizer.Gpt4Pattern);
        w.WriteStartArray("merges");  // merge i: [left id, right id] -> id 256 + i
        foreach (var (left, right) in _merges)
        {
            w.WriteStartArray();
            w.WriteNumberValue(left);
            w.WriteNumberValue(right);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        TokenizerJson.WriteSpecials(w, _firstSpecial);
    });

    public static BpeTokenizer Load(string json)
    {
        using var doc = TokenizerJson.Parse(json);
        var root = TokenizerJson.Root(doc, KindName);
        string pattern = TokenizerJson.Str(root, "pattern");
        if (pattern != PreTokenizer.Gpt4Pattern)
            throw TokenizerJson.Bad("\"pattern\" is not the GPT-4 split pattern, the only one this build supports");

        var mergesJson = TokenizerJson.Field(root, "merges", JsonValueKind.Array);
        var merges = new (int, int)[mergesJson.GetArrayLength()];
        int i = 0;
        foreach (var pair in mergesJson.EnumerateArray())
        {
            string where = $"merges[{i}]";
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
                throw TokenizerJson.Bad($"{where} must be a pair [left id, right id]");
            int left = TokenizerJson.AsInt(pair[0], where), right = TokenizerJson.AsInt(pair[1], where);
            if ((uint)left >= 256 + i || (uint)right >= 256 + i)
                throw TokenizerJson.Bad($"{where} is [{left}, {right}], but only ids 0-{255 + i} exist before it");
            merges[i++] = (left, right);
        }

        TokenizerJson.CheckSpecials(root, 256 + merges.Length, $"with {merges.Length} merges");
        return new(merges);
    }
}
