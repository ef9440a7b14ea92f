// A tiny seeded PRNG whose sequence we own, so split permutations are identical on every .NET version and machine.
namespace Workbench.Data;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014):
/// the state advances by the golden-ratio constant 0x9E3779B97F4A7C15 and each output is the state passed
/// through two xor-shift-multiply rounds. System.Random's sequence is not guaranteed across .NET versions; this is.
/// </summary>
public sealed class SplitMix64(ulong seed)
{
    ulong state = seed;

    /// <summary>Seeds from a spec's int seed (sign-extended, so -1 and 0xFFFF_FFFF_FFFF_FFFF are the same seed).</summary>
    public SplitMix64(int seed) : this(unchecked((ulong)(long)seed)) { }

    public ulong Next()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1), from the top 53 bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, bound) without modulo bias: draws from the largest multiple of bound are kept.</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var b = (ulong)bound;
        var limit = ulong.MaxValue - ulong.MaxValue % b;
        ulong draw;
        do draw = Next(); while (draw >= limit);
        return (int)(draw % b);
    }

    /// <summary>Standard normal by Box-Muller (one of the pair is used; 1 - u keeps the log finite).</summary>
    public double NextGaussian()
    {
        var u = 1.0 - NextDouble();
        var v = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }

    /// <summary>Fisher-Yates, from the last element down.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
