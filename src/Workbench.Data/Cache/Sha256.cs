// SHA-256 as lowercase hex, the form the pins, the cache check and the run records all use.
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Workbench.Data;

internal static class Sha256
{
    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static string OfBytes(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Appends the raw little-endian bytes of <paramref name="values"/>: how generated datasets are hashed.</summary>
    public static void Append<T>(IncrementalHash hash, T[] values) where T : unmanaged =>
        hash.AppendData(MemoryMarshal.AsBytes(values.AsSpan()));

    public static string Finish(IncrementalHash hash) => Convert.ToHexStringLower(hash.GetHashAndReset());
}
