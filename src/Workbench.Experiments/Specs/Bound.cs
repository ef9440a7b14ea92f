// A range rule for a number in a spec, with the words an error message uses for it.
namespace Workbench.Experiments.Specs;

internal sealed record Bound(string Rule, Func<double, bool> Holds)
{
    public static Bound Positive { get; } = new("> 0", v => v > 0);
    public static Bound NonNegative { get; } = new(">= 0", v => v >= 0);
    public static Bound Fraction { get; } = new("in [0, 1)", v => v is >= 0 and < 1);

    public static Bound AtLeast(int min) => new($">= {min}", v => v >= min);

    /// <summary>Non-finite values (.inf, .nan) never hold.</summary>
    public bool Accepts(double value) => double.IsFinite(value) && Holds(value);
}
