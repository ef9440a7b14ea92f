// One swept parameter as TPE models it: a continuous range [Low, High] (a log range in logarithms), an
// integer range (Step 1: each integer owns [x - 1/2, x + 1/2]) or categories (the indices of its values).
namespace Workbench.Experiments.Sweeps;

internal sealed record ParameterSpace(SweepParameter Parameter, double Low, double High, double Step, int Choices)
{
    public bool IsCategorical => Choices > 0;

    public static ParameterSpace Of(SweepParameter p) => p.Kind switch
    {
        ParameterKind.Values => new(p, 0, p.Values!.Count - 1, 0, p.Values.Count),
        ParameterKind.Uniform => new(p, p.Min, p.Max, 0, 0),
        ParameterKind.LogUniform => new(p, Math.Log(p.Min), Math.Log(p.Max), 0, 0),
        ParameterKind.IntUniform => new(p, p.Min, p.Max, 1, 0),
        _ => throw new ArgumentOutOfRangeException(nameof(p), p.Kind, "unknown parameter kind"),
    };

    /// <summary>A stored value in this space (its logarithm, its category index), or null when it is not one of this parameter's.</summary>
    public double? Internal(object value)
    {
        if (IsCategorical)
        {
            for (var i = 0; i < Choices; i++)
                if (SweepValue.Same(Parameter.Values![i], value)) return i;
            return null;
        }
        if (value is not (long or double or int)) return null;
        var x = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
        if (Parameter.Kind == ParameterKind.LogUniform) x = x > 0 ? Math.Log(x) : double.NaN;
        return double.IsFinite(x) ? x : null;
    }

    /// <summary>A point of this space as the parameter's value: a double, a long, or one of the listed values.</summary>
    public object External(double x) => Parameter.Kind switch
    {
        ParameterKind.Values => Parameter.Values![(int)x],
        ParameterKind.LogUniform => Math.Clamp(Math.Exp(x), Parameter.Min, Parameter.Max),
        ParameterKind.IntUniform => (long)x,
        _ => x,
    };
}
