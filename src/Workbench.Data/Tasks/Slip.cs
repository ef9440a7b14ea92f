// The small slips that make near-miss wrong answers for preference pairs; each returns a text that
// differs from the one it is given, or null when none can.
namespace Workbench.Data.Tasks;

static class Slip
{
    /// <summary>One digit moved up or down by one, never to a leading zero: "357" -> "367" or "356".</summary>
    public static string? DigitOffByOne(string number, SplitMix64 rng)
    {
        var options = new List<string>();
        for (int i = 0; i < number.Length; i++)
        {
            foreach (int step in (ReadOnlySpan<int>)[-1, 1])
            {
                int digit = number[i] - '0' + step;
                if (digit is < 0 or > 9 || (digit == 0 && i == 0 && number.Length > 1)) continue;
                options.Add(string.Concat(number.AsSpan(0, i), ((char)('0' + digit)).ToString(), number.AsSpan(i + 1)));
            }
        }
        return Pick(options, rng);
    }

    /// <summary>Two adjacent, different letters swapped: "elppa" -> "leppa", "APPLE" -> "PAPLE".</summary>
    public static string? AdjacentLettersSwapped(string word, SplitMix64 rng)
    {
        var options = new List<string>();
        for (int i = 0; i + 1 < word.Length; i++)
        {
            if (word[i] == word[i + 1]) continue;
            var chars = word.ToCharArray();
            (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
            options.Add(new string(chars));
        }
        return Pick(options, rng);
    }

    /// <summary>Two adjacent words swapped: "apple fig pear" -> "fig apple pear".</summary>
    public static string? AdjacentWordsSwapped(string words, SplitMix64 rng)
    {
        var parts = words.Split(' ');
        var options = new List<string>();
        for (int i = 0; i + 1 < parts.Length; i++)
        {
            if (parts[i] == parts[i + 1]) continue;
            var swapped = (string[])parts.Clone();
            (swapped[i], swapped[i + 1]) = (swapped[i + 1], swapped[i]);
            options.Add(string.Join(' ', swapped));
        }
        return Pick(options, rng);
    }

    static string? Pick(List<string> options, SplitMix64 rng) => options.Count == 0 ? null : options[rng.NextInt(options.Count)];
}
