// Run ids: 8 random lowercase letters and digits, short enough to type, long enough never to repeat
// in practice (36^8 ≈ 2.8e12); the store still retries on the rare collision.
using System.Security.Cryptography;

namespace Workbench.Tracking;

public static class RunIds
{
    public const int Length = 8;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string NewId() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>True for exactly 8 characters from a-z and 0-9.</summary>
    public static bool IsValid(string text) => text.Length == Length && text.All(c => Alphabet.Contains(c));
}
