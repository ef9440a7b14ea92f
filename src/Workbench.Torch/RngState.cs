// The global generators' state (CPU and every CUDA device), captured for a checkpoint and restored on
// resume so that dropout masks, sampling and data shuffles drawn from libtorch continue as they would have.
using System.Buffers.Binary;
using Workbench.Torch.Native;

namespace Workbench.Torch;

public sealed record RngState(byte[] CpuState, IReadOnlyList<byte[]> CudaStates)
{
    // "WBRNG" + format version 1; guards against restoring some other blob.
    private static ReadOnlySpan<byte> Magic => "WBRNG\u0001"u8;

    /// <summary>The state of the CPU generator and of each visible CUDA device's generator.</summary>
    public static RngState Capture()
    {
        var cpu = Read(DeviceType.Cpu, 0);
        var cuda = Enumerable.Range(0, Cuda.DeviceCount).Select(i => Read(DeviceType.Cuda, i)).ToArray();
        return new RngState(cpu, cuda);
    }

    /// <summary>Puts the generators back as they were at <see cref="Capture"/>. CUDA states need the same devices.</summary>
    public void Restore()
    {
        var devices = Cuda.DeviceCount;
        if (CudaStates.Count > 0 && CudaStates.Count != devices)
            throw new InvalidOperationException(
                $"the saved random state is for {CudaStates.Count} CUDA device(s) but this process sees {devices}; " +
                "resume on a machine with the same devices");
        Write(DeviceType.Cpu, 0, CpuState);
        for (var i = 0; i < CudaStates.Count; i++) Write(DeviceType.Cuda, i, CudaStates[i]);
    }

    /// <summary>One blob for a checkpoint: magic, then each state as a length-prefixed byte string (CPU first).</summary>
    public byte[] ToBytes()
    {
        var states = new[] { CpuState }.Concat(CudaStates).ToArray();
        var result = new byte[Magic.Length + 4 + states.Sum(s => 8 + s.Length)];
        var span = result.AsSpan();
        Magic.CopyTo(span);
        span = span[Magic.Length..];
        BinaryPrimitives.WriteInt32LittleEndian(span, states.Length);
        span = span[4..];
        foreach (var s in states)
        {
            BinaryPrimitives.WriteInt64LittleEndian(span, s.Length);
            s.CopyTo(span[8..]);
            span = span[(8 + s.Length)..];
        }
        return result;
    }

    /// <summary>Reads a blob written by <see cref="ToBytes"/>; a malformed one is an error that says so.</summary>
    public static RngState FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Magic.Length + 4 || !bytes[..Magic.Length].SequenceEqual(Magic))
            throw new FormatException("not a saved random-generator state (wrong header)");
        var span = bytes[Magic.Length..];
        var count = BinaryPrimitives.ReadInt32LittleEndian(span);
        span = span[4..];
        if (count < 1) throw new FormatException($"a saved random-generator state holds {count} generators; it needs the CPU one");
        var states = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            if (span.Length < 8) throw new FormatException($"saved random-generator state is truncated at generator {i}");
            var length = BinaryPrimitives.ReadInt64LittleEndian(span);
            if (length < 0 || length > span.Length - 8) throw new FormatException($"saved random-generator state is truncated at generator {i}");
            states.Add(span.Slice(8, (int)length).ToArray());
            span = span[(8 + (int)length)..];
        }
        if (span.Length != 0) throw new FormatException($"saved random-generator state has {span.Length} trailing bytes");
        return new RngState(states[0], states.Skip(1).ToArray());
    }

    private static byte[] Read(DeviceType device, int index)
    {
        NativeMethods.Check(NativeMethods.wb_rng_get_state((int)device, index, out var h), "get_rng_state");
        using var state = new Tensor(h);
        TensorScope.Forget(state);
        return state.ToBytes();
    }

    private static void Write(DeviceType device, int index, byte[] bytes)
    {
        using var state = Tensor.FromSpan<byte>(bytes, ScalarType.UInt8, [bytes.Length]);
        TensorScope.Forget(state);
        NativeMethods.Check(NativeMethods.wb_rng_set_state((int)device, index, state.Handle), "set_rng_state");
    }
}
