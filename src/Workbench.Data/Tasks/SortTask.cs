// Sorting words alphabetically: "Sort the words: pear apple fig" -> "apple fig pear".
namespace Workbench.Data.Tasks;

public sealed class SortTask : VerifiableTask
{
    public static readonly SortTask Instance = new();

    SortTask() : base("sort") { }

    /// <summary>2-3 different words of 3-6 letters at difficulty 1; each step adds a word and a letter.</summary>
    public override TaskProblem Generate(SplitMix64 rng, int difficulty)
    {
        int count = 2 + rng.NextInt(difficulty + 1);
        var words = new List<string>(count);
        while (words.Count < count)
        {
            string word = Draw.Word(rng, difficulty);
            if (!words.Contains(word)) words.Add(word);
        }
        string sorted = string.Join(' ', words.Order(StringComparer.Ordinal));
        // The same words in any order are the same problem.
        return new(Name, $"Sort the words: {string.Join(' ', words)}", sorted, $"{Name}:{sorted}");
    }

    public override string? NearMiss(TaskProblem problem, SplitMix64 rng) => Slip.AdjacentWordsSwapped(problem.Answer, rng);
}
