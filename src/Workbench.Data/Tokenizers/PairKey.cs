// A pair of token ids packed into one long, and the hashing that dictionaries of pairs need:
// long's own hash is left ^ right, which for ids below 4,096 puts a SOTU-sized pair table
// (hundreds of thousands of pairs) into 4,096 buckets.
namespace Workbench.Data.Tokenizers;

static class PairKey
{
    public static long Of(int left, int right) => ((long)left << 32) | (uint)right;

    public static (int Left, int Right) Split(long key) => ((int)(key >> 32), (int)key);

    public static readonly IEqualityComparer<long> Comparer = new Mixing();

    sealed class Mixing : IEqualityComparer<long>
    {
        public bool Equals(long x, long y) => x == y;

        // Fibonacci hashing: the high bits of the product depend on every bit of the key.
        public int GetHashCode(long key) => (int)((ulong)key * 0x9E3779B97F4A7C15UL >> 32);
    }
}
