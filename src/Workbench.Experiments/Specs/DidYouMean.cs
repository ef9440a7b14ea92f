// Suggests the nearest known name for a misspelt key or value (edit distance <= 2, or a prefix).
namespace Workbench.Experiments.Specs;

internal static class DidYouMean
{
    public static string? Suggest(string input, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        var lower = input.ToLowerInvariant();
        foreach (var candidate in candidates)
        {
            var distance = Distance(lower, candidate.ToLowerInvariant());
            var prefix = lower.Length >= 2 && (candidate.StartsWith(lower, StringComparison.OrdinalIgnoreCase)
                                               || lower.StartsWith(candidate, StringComparison.OrdinalIgnoreCase));
            if ((distance <= 2 || prefix) && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary>"; did you mean `x`?" to append to a message, or "" when nothing is near.</summary>
    public static string Hint(string input, IEnumerable<string> candidates) =>
        Suggest(input, candidates) is { } s ? $"; did you mean `{s}`?" : "";

    // Levenshtein distance, one row at a time.
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
