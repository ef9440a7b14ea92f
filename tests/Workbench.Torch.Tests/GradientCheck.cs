// Checks autograd's gradients against central finite differences in float64.
namespace Workbench.Torch.Tests;

internal static class GradientCheck
{
    /// <summary>
    /// Asserts that d/dx sum(f(x) * w), for fixed random weights w, matches (L(x + h) - L(x - h)) / 2h for
    /// every element of every float64 input. Integer and bool inputs are passed through untouched.
    /// </summary>
    public static void Assert(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        const double h = 1e-6;
        const double tolerance = 1e-5;
        using var scope = TensorScope.Begin();
        Torch.ManualSeed(7);
        var differentiable = inputs.Select(t => t.DType == ScalarType.Float64).ToArray();
        var leaves = inputs.Select((t, i) => differentiable[i] ? t.Detach().RequiresGrad_() : t).ToArray();
        var output = f(leaves);
        var weights = Tensor.Randn(output.Shape, ScalarType.Float64);
        (output * weights).Sum().Backward();

        for (var i = 0; i < inputs.Length; i++)
        {
            if (!differentiable[i]) continue;
            var analytic = leaves[i].Grad()?.ToArray<double>() ?? new double[inputs[i].NumElements];
            var values = inputs[i].ToArray<double>();
            for (var j = 0; j < values.Length; j++)
            {
                var numeric = (Loss(f, inputs, weights, i, values, j, h) - Loss(f, inputs, weights, i, values, j, -h)) / (2 * h);
                Xunit.Assert.True(Math.Abs(numeric - analytic[j]) <= tolerance * (1 + Math.Abs(numeric)),
                    $"input {i}, element {j}: autograd gave {analytic[j]}, finite differences {numeric}");
            }
        }
    }

    // sum(f(x) * w) with element j of input i moved by delta, evaluated without recording a graph.
    private static double Loss(Func<Tensor[], Tensor> f, Tensor[] inputs, Tensor weights, int i, double[] values, int j, double delta)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = new NoGrad();
        var moved = (double[])values.Clone();
        moved[j] += delta;
        var args = (Tensor[])inputs.Clone();
        args[i] = Tensor.From(moved, inputs[i].Shape);
        return (f(args) * weights).Sum().Item();
    }
}
