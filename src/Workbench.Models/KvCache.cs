// The keys and values a GPT's attention layers have computed so far, kept so that a new token attends
// to the prefix without recomputing it (incremental decoding). One pair of (B, nh, capacity, hs)
// buffers per layer, filled from the left; Length says how many positions hold values.
using Workbench.Torch;

namespace Workbench.Models;

public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    /// <summary>
    /// Room for <paramref name="capacity"/> positions (at most block_size) of <paramref name="batch"/> sequences.
    /// The buffers are in <paramref name="dtype"/> (the weights' dtype): under autocast a bfloat16 key is stored
    /// exactly and attention casts it back, so cached and uncached attention see the same values.
    /// </summary>
    public KvCache(GptConfig config, long batch, int capacity, Device device, ScalarType dtype = ScalarType.Float32)
    {
        if (capacity < 1 || capacity > config.BlockSize)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"a cache holds 1 to block_size ({config.BlockSize}) positions");
        Batch = batch;
        Capacity = capacity;
        long[] shape = [batch, config.Heads, capacity, config.Embedding / config.Heads];
        _keys = new Tensor[config.Layers];
        _values = new Tensor[config.Layers];
        for (var i = 0; i < config.Layers; i++)
        {
            _keys[i] = Tensor.Zeros(shape, dtype, device);
            _values[i] = Tensor.Zeros(shape, dtype, device);
        }
    }

    public long Batch { get; }

    public int Capacity { get; }

    /// <summary>Positions whose keys and values are stored.</summary>
    public int Length { get; private set; }

    /// <summary>Forgets every position (the buffers are reused): the next forward starts the sequences afresh.</summary>
    public void Clear() => Length = 0;

    internal int Layers => _keys.Length;

    /// <summary>
    /// Stores layer <paramref name="layer"/>'s keys and values of T new positions (B, nh, T, hs) after the
    /// Length already held, and returns all of them so far: views (B, nh, Length + T, hs).
    /// </summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
    {
        var t = k.Size(2);
        _keys[layer].Narrow(2, Length, t).CopyFrom_(k);
        _values[layer].Narrow(2, Length, t).CopyFrom_(v);
        return (_keys[layer].Narrow(2, 0, Length + t), _values[layer].Narrow(2, 0, Length + t));
    }

    /// <summary>Counts the T positions every layer has just appended.</summary>
    internal void Advance(int t) => Length += t;

    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values)) t.Dispose();
    }
}
