// The bytes each id of a byte-level vocabulary stands for, and decoding through them: shared by
// the project's own BPE and GPT-2's, whose ids differ but decode alike.
using System.Buffers;
using System.Text;

namespace Workbench.Data.Tokenizers;

sealed class TokenBytesTable(byte[][] bytes, string vocabulary)
{
    public int Count => bytes.Length;

    public ReadOnlySpan<byte> this[int id] =>
        (uint)id < (uint)bytes.Length ? bytes[id]
            : throw new ArgumentOutOfRangeException(nameof(id), id, $"token id {id} is outside this {vocabulary} of {bytes.Length} ids");

    /// <summary>The ids' bytes joined, then read as UTF-8: a character split across tokens comes back whole.</summary>
    public string Decode(ReadOnlySpan<int> ids)
    {
        int total = 0;
        foreach (int id in ids) total += this[id].Length;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(total);
        int at = 0;
        foreach (int id in ids)
        {
            bytes[id].CopyTo(buffer, at);
            at += bytes[id].Length;
        }
        string text = Encoding.UTF8.GetString(buffer, 0, total);
        ArrayPool<byte>.Shared.Return(buffer);
        return text;
    }
}
