// Counting a letter in a word: "Count the letter p in: apple" -> "2".
namespace Workbench.Data.Tasks;

public sealed class CountLetterTask : VerifiableTask
{
    public static readonly CountLetterTask Instance = new();

    CountLetterTask() : base("count") { }

    /// <summary>
    /// A word of 3-6 letters at difficulty 1, one letter longer per step. Half the time the letter is
    /// one of the word's, else any of a-z, so zero is a common answer but not the usual one.
    /// </summary>
    public override TaskProblem Generate(SplitMix64 rng, int difficulty)
    {
        string word = Draw.Word(rng, difficulty);
        char letter = rng.NextInt(2) == 0 ? word[rng.NextInt(word.Length)] : (char)('a' + rng.NextInt(26));
        int count = word.Count(c => c == letter);
        return new(Name, $"Count the letter {letter} in: {word}", count.ToString(), $"{Name}:{word},{letter}");
    }

    public override string? NearMiss(TaskProblem problem, SplitMix64 rng) => Slip.DigitOffByOne(problem.Answer, rng);

    /// <summary>A count at least two away from the right one (another problem's count is mostly one away).</summary>
    public override string? FarMiss(TaskProblem problem, SplitMix64 rng, int difficulty)
    {
        int count = int.Parse(problem.Answer);
        int[] options = [.. Enumerable.Range(0, count + 6).Where(c => Math.Abs(c - count) >= 2)];
        return options[rng.NextInt(options.Length)].ToString();
    }
}
