// Which problems are held out: decided by a hash of the problem's canonical key alone, so a problem
// (and every trivial variant of it, which shares the key) is on the same side for every seed, run and
// machine. A base model pretrained on one seed's train text never sees another seed's held-out problems.
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Workbench.Data.Tasks;

public static class HeldOutSplit
{
    /// <summary>True when the key's hash, as a fraction of the 64-bit range, falls below <paramref name="fraction"/>.</summary>
    public static bool IsHeldOut(string key, double fraction)
    {
        // SHA-256 rather than string.GetHashCode, which .NET randomizes per process.
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        double unit = (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
        return unit < fraction;
    }
}
