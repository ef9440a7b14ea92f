// Reads IDX files (the MNIST format: a big-endian header, then raw unsigned bytes), validating the header against the length.
using System.Buffers.Binary;

namespace Workbench.Data;

/// <summary>
/// An unsigned-byte IDX array. The format: two zero bytes, a type byte (0x08 = unsigned byte, the only one we
/// read), a byte with the number of dimensions, one big-endian int32 per dimension, then the data row-major.
/// </summary>
public sealed record IdxArray(IReadOnlyList<int> Shape, ReadOnlyMemory<byte> Data)
{
    const byte UnsignedByte = 0x08;

    /// <summary>Reads and validates the IDX file at <paramref name="path"/>.</summary>
    public static IdxArray Read(string path)
    {
        if (!File.Exists(path)) throw new DataException($"IDX file {path} does not exist.");
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses IDX bytes; <paramref name="source"/> names them in errors. Data aliases <paramref name="bytes"/>.</summary>
    public static IdxArray Parse(byte[] bytes, string source)
    {
        if (bytes.Length < 4)
            throw new DataException($"{source}: not an IDX file: {bytes.Length} bytes is shorter than the 4-byte magic number (truncated?).");
        if (bytes[0] != 0 || bytes[1] != 0 || bytes[3] == 0)
            throw new DataException(
                $"{source}: not an IDX file: magic number {Convert.ToHexString(bytes, 0, 4)} should be 0000 then a type byte and a dimension count.");
        if (bytes[2] != UnsignedByte)
            throw new DataException($"{source}: IDX element type 0x{bytes[2]:X2} is not supported; only 0x08 (unsigned byte) is.");

        var rank = bytes[3];
        var headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength)
            throw new DataException($"{source}: truncated IDX header: {rank} dimensions need {headerLength} bytes, the file has {bytes.Length}.");
        var shape = new int[rank];
        long expected = 1;
        for (var d = 0; d < rank; d++)
        {
            shape[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (shape[d] < 0) throw new DataException($"{source}: IDX dimension {d} is negative ({shape[d]}); the header is corrupt.");
            expected *= shape[d];
        }
        var actual = bytes.LongLength - headerLength;
        if (actual != expected)
            throw new DataException(
                $"{source}: {(actual < expected ? "truncated" : "corrupt")} IDX file: the header says {string.Join(" x ", shape)} = {expected} bytes of data, " +
                $"but {actual} follow it.");
        return new IdxArray(shape, bytes.AsMemory(headerLength));
    }
}
