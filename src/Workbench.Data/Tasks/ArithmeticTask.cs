// Integer addition and multiplication: "What is 12 + 345?" -> "357".
using System.Numerics;

namespace Workbench.Data.Tasks;

public sealed class ArithmeticTask : VerifiableTask
{
    /// <summary>Operands of 1-3 digits at difficulty 1, one more digit per step.</summary>
    public static readonly ArithmeticTask Add = new("add", "+", BigInteger.Add, difficulty => 2 + difficulty);

    /// <summary>Operands of 1-2 digits at difficulty 1 (products up to 4 digits), one more digit per step.</summary>
    public static readonly ArithmeticTask Multiply = new("multiply", "*", BigInteger.Multiply, difficulty => 1 + difficulty);

    readonly string _symbol;
    readonly Func<BigInteger, BigInteger, BigInteger> _apply;
    readonly Func<int, int> _maxDigits;

    ArithmeticTask(string name, string symbol, Func<BigInteger, BigInteger, BigInteger> apply, Func<int, int> maxDigits) : base(name)
    {
        _symbol = symbol;
        _apply = apply;
        _maxDigits = maxDigits;
    }

    public override TaskProblem Generate(SplitMix64 rng, int difficulty)
    {
        var a = Draw.Number(rng, _maxDigits(difficulty));
        var b = Draw.Number(rng, _maxDigits(difficulty));
        // Both operations commute, so a + b and b + a are one problem.
        string key = $"{Name}:{BigInteger.Min(a, b)},{BigInteger.Max(a, b)}";
        return new(Name, $"What is {a} {_symbol} {b}?", _apply(a, b).ToString(), key);
    }

    public override string? NearMiss(TaskProblem problem, SplitMix64 rng) => Slip.DigitOffByOne(problem.Answer, rng);
}
