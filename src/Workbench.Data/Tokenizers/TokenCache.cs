// Encoded corpora on disk, so a second run of the same data and tokenizer skips encoding:
// <cacheRoot>/tokens/<dataset hash>-<tokenizer hash>/<split>.bin holds the ids as little-endian
// uint16 (vocabularies up to 65,536) or int32, and <split>.json a small header that is written
// last, so a header on disk means its .bin is complete. Both are written to a temporary file and
// renamed into place, so a crash never leaves a half-written entry that looks valid.
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Workbench.Data.Tokenizers;

public static class TokenCache
{
    const int Version = 1;

    public static int[] GetOrEncode(string cacheRoot, string datasetHash, ITokenizer tokenizer, string split, Func<string> text)
    {
        ArgumentNullException.ThrowIfNull(cacheRoot);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(text);
        CheckName(datasetHash, nameof(datasetHash));
        CheckName(split, nameof(split));

        string folder = Path.Combine(cacheRoot, "tokens", $"{Short(datasetHash)}-{Short(tokenizer.Hash)}");
        string binPath = Path.Combine(folder, split + ".bin");
        string headerPath = Path.Combine(folder, split + ".json");
        var expected = new TokenCacheHeader(Version, datasetHash, tokenizer.Hash, tokenizer.Kind, split,
            tokenizer.VocabSize <= 1 << 16 ? "uint16" : "int32", 0);

        if (TryRead(binPath, headerPath, expected) is int[] cached) return cached;

        int[] ids = tokenizer.Encode(text());
        Directory.CreateDirectory(folder);
        WriteAtomically(binPath, stream => stream.Write(ToBytes(ids, expected.Dtype)));
        WriteAtomically(headerPath, stream => JsonSerializer.Serialize(stream, expected with { Count = ids.Length }, TokenCacheHeaderJson.Default.TokenCacheHeader));
        return ids;
    }

    /// <summary>The cached ids, or null when the entry is missing, partial or for other inputs.</summary>
    static int[]? TryRead(string binPath, string headerPath, TokenCacheHeader expected)
    {
        if (!File.Exists(headerPath) || !File.Exists(binPath)) return null;
        TokenCacheHeader? header;
        try { header = JsonSerializer.Deserialize(File.ReadAllText(headerPath), TokenCacheHeaderJson.Default.TokenCacheHeader); }
        catch (JsonException) { return null; }  // a damaged header is rebuilt, like a missing one
        if (header is null || header with { Count = 0 } != expected) return null;

        byte[] bytes = File.ReadAllBytes(binPath);
        int width = header.Dtype == "uint16" ? 2 : 4;
        if (bytes.Length != (long)header.Count * width) return null;
        var ids = new int[header.Count];
        if (width == 4)
        {
            MemoryMarshal.Cast<byte, int>(bytes).CopyTo(ids);
            if (!BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(ids, ids);
        }
        else
        {
            for (int i = 0; i < ids.Length; i++) ids[i] = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(2 * i));
        }
        return ids;
    }

    static byte[] ToBytes(int[] ids, string dtype)
    {
        if (dtype == "int32")
        {
            var bytes = new byte[ids.Length * 4];
            for (int i = 0; i < ids.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), ids[i]);
            return bytes;
        }
        var narrow = new byte[ids.Length * 2];
        for (int i = 0; i < ids.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(narrow.AsSpan(2 * i), checked((ushort)ids[i]));
        return narrow;
    }

    static void WriteAtomically(string path, Action<Stream> write)
    {
        string temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = File.Create(temp)) write(stream);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);  // a no-op once moved
        }
    }

    // Folder names keep 16 hex digits of each hash; the header holds the full ones and is checked.
    static string Short(string hash) => hash.Length > 16 ? hash[..16] : hash;

    static void CheckName(string value, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, what);
        foreach (char c in value)
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
                throw new ArgumentException($"{what} \"{value}\" may hold only ASCII letters, digits, '-' and '_' (it names a cache file)", what);
    }
}
