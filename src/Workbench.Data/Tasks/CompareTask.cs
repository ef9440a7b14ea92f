// Comparing two different numbers: "Which is larger: 37 or 73?" -> "73".
using System.Numerics;
using System.Text.RegularExpressions;

namespace Workbench.Data.Tasks;

public sealed partial class CompareTask : VerifiableTask
{
    public static readonly CompareTask Instance = new();

    CompareTask() : base("compare") { }

    /// <summary>Numbers of 1-3 digits at difficulty 1, one more digit per step; never equal.</summary>
    public override TaskProblem Generate(SplitMix64 rng, int difficulty)
    {
        BigInteger a, b;
        do
        {
            a = Draw.Number(rng, 2 + difficulty);
            b = Draw.Number(rng, 2 + difficulty);
        } while (a == b);
        // "a or b" and "b or a" ask the same question.
        var (low, high) = a < b ? (a, b) : (b, a);
        return new(Name, $"Which is larger: {a} or {b}?", high.ToString(), $"{Name}:{low},{high}");
    }

    /// <summary>The plausible slip is naming the other number, read back from the prompt.</summary>
    public override string? NearMiss(TaskProblem problem, SplitMix64 rng)
    {
        var numbers = Numbers().Matches(problem.Prompt);
        if (numbers.Count != 2) return null;
        return numbers[0].Value == problem.Answer ? numbers[1].Value : numbers[0].Value;
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Numbers();
}
