// The random pieces problems are made of (numbers of n digits, words of a length range), drawn from
// the suite's SplitMix64 so every machine generates the same problems for a seed.
using System.Numerics;
using System.Text;

namespace Workbench.Data.Tasks;

static class Draw
{
    /// <summary>A number of 1 to <paramref name="maxDigits"/> digits (the count uniform), no leading zero.</summary>
    public static BigInteger Number(SplitMix64 rng, int maxDigits)
    {
        int digits = 1 + rng.NextInt(maxDigits);
        if (digits == 1) return rng.NextInt(10);
        var text = new StringBuilder(digits).Append((char)('1' + rng.NextInt(9)));
        for (int i = 1; i < digits; i++) text.Append((char)('0' + rng.NextInt(10)));
        return BigInteger.Parse(text.ToString());
    }

    /// <summary>A word of the built-in list with 3 to <see cref="MaxWordLength"/>(difficulty) letters.</summary>
    public static string Word(SplitMix64 rng, int difficulty)
    {
        var words = WordsUpTo(MaxWordLength(difficulty));
        return words[rng.NextInt(words.Count)];
    }

    /// <summary>3-6 letters at difficulty 1, one more per step, up to the list's longest words.</summary>
    public static int MaxWordLength(int difficulty) => 5 + difficulty;

    static readonly Dictionary<int, IReadOnlyList<string>> ByMaxLength = [];

    static IReadOnlyList<string> WordsUpTo(int maxLength)
    {
        lock (ByMaxLength)
        {
            if (!ByMaxLength.TryGetValue(maxLength, out var words))
                ByMaxLength[maxLength] = words = [.. WordList.Words.Where(w => w.Length <= maxLength)];
            return words;
        }
    }
}
