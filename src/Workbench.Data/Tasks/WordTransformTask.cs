// One word in, the word transformed out: reversing ("elppa") and upper-casing ("APPLE").
namespace Workbench.Data.Tasks;

public sealed class WordTransformTask : VerifiableTask
{
    public static readonly WordTransformTask Reverse = new("reverse", "Reverse the word", word => new string([.. word.Reverse()]));

    public static readonly WordTransformTask Uppercase = new("uppercase", "Uppercase the word", word => word.ToUpperInvariant());

    readonly string _instruction;
    readonly Func<string, string> _transform;

    WordTransformTask(string name, string instruction, Func<string, string> transform) : base(name)
    {
        _instruction = instruction;
        _transform = transform;
    }

    /// <summary>A word of 3-6 letters at difficulty 1, one letter longer per step.</summary>
    public override TaskProblem Generate(SplitMix64 rng, int difficulty)
    {
        string word = Draw.Word(rng, difficulty);
        return new(Name, $"{_instruction}: {word}", _transform(word), $"{Name}:{word}");
    }

    public override string? NearMiss(TaskProblem problem, SplitMix64 rng) => Slip.AdjacentLettersSwapped(problem.Answer, rng);
}
