// Gradient clipping by global norm and the grad_norm measurement, against hand-computed norms.
using Workbench.Torch.Optim;

namespace Workbench.Torch.Tests;

public sealed class GradClipTests
{
    // Parameters whose gradients are exactly the given values: d/dp sum(p * g) = g.
    private static Tensor WithGrad(float[] grad)
    {
        var p = Tensor.Zeros([grad.Length]).RequiresGrad_();
        using var g = Tensor.From(grad);
        (p * g).Sum().Backward();
        return p;
    }

    [Fact]
    public void Clipping_returns_the_global_norm_and_scales_every_gradient_to_the_limit()
    {
        // Given gradients [3, 4] and [12], whose global norm is 13, and a parameter without a gradient
        using var scope = TensorScope.Begin();
        var a = WithGrad([3f, 4f]);
        var b = WithGrad([12f]);
        var none = Tensor.Zeros([5]).RequiresGrad_();

        // When they are clipped to 6.5
        var norm = GradClip.ClipByGlobalNorm([a, b, none], 6.5);

        // Then the norm before clipping is returned and the gradients are scaled by 6.5 / (13 + 1e-6)
        Assert.Equal(13.0, norm, 5);
        var scale = 6.5 / (13 + 1e-6);
        Assert.Equal(new[] { 3 * scale, 4 * scale }, a.Grad()!.ToArray<float>().Select(v => (double)v), new ToleranceComparer(1e-6));
        Assert.Equal(12 * scale, b.Grad()!.ToArray<float>()[0], 5);
        Assert.Null(none.Grad());
        Assert.Equal(6.5, GradClip.GradNorm([a, b, none]), 5);
    }

    [Fact]
    public void Gradients_under_the_limit_are_left_as_they_were()
    {
        using var scope = TensorScope.Begin();
        var a = WithGrad([3f, 4f]);

        var norm = GradClip.ClipByGlobalNorm([a], 100);

        Assert.Equal(5.0, norm, 5);
        Assert.Equal([3f, 4f], a.Grad()!.ToArray<float>());
    }

    [Fact]
    public void Measuring_the_norm_changes_nothing_and_no_gradients_measure_zero()
    {
        using var scope = TensorScope.Begin();
        var a = WithGrad([1f, 2f, 2f]);

        Assert.Equal(3.0, GradClip.GradNorm([a]), 5);
        Assert.Equal([1f, 2f, 2f], a.Grad()!.ToArray<float>());
        Assert.Equal(0.0, GradClip.GradNorm([Tensor.Zeros([2]).RequiresGrad_()]));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
