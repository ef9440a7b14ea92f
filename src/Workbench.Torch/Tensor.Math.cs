// Element-wise math, operators, comparisons, reductions and matrix products.
using Workbench.Torch.Native;

namespace Workbench.Torch;

public sealed unsafe partial class Tensor
{
    // The op's name is built only on failure: these run once per element-wise op, where every ns shows.
    private Tensor Unary(UnaryOp op) => Wrap(NativeMethods.wb_unary(op, Handle, out var h), h, op);

    private Tensor Binary(BinaryOp op, Tensor other) => Wrap(NativeMethods.wb_binary(op, Handle, other.Handle, out var h), h, op);

    private Tensor Binary(BinaryOp op, double other) => Wrap(NativeMethods.wb_binary_scalar(op, Handle, other, out var h), h, op);

    private static Tensor Wrap<TEnum>(int status, IntPtr handle, TEnum op) where TEnum : struct, Enum
    {
        if (status != 0) NativeMethods.Check(status, OpName(op));
        return new Tensor(handle);
    }

    private static string OpName<TEnum>(TEnum op) where TEnum : struct, Enum => op.ToString().ToLowerInvariant();

    // ---- unary -------------------------------------------------------------------------------

    public Tensor Neg() => Unary(UnaryOp.Neg);
    public Tensor Exp() => Unary(UnaryOp.Exp);
    public Tensor Log() => Unary(UnaryOp.Log);
    public Tensor Log1p() => Unary(UnaryOp.Log1p);
    public Tensor Expm1() => Unary(UnaryOp.Expm1);
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);
    public Tensor Rsqrt() => Unary(UnaryOp.Rsqrt);
    public Tensor Abs() => Unary(UnaryOp.Abs);
    public Tensor Square() => Unary(UnaryOp.Square);
    public Tensor Reciprocal() => Unary(UnaryOp.Reciprocal);
    public Tensor Tanh() => Unary(UnaryOp.Tanh);
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);

    /// <summary>log(sigmoid(x)) without overflow or log(0) at large |x|, as preference losses need it.</summary>
    public Tensor LogSigmoid() => Unary(UnaryOp.LogSigmoid);

    public Tensor Relu() => Unary(UnaryOp.Relu);

    /// <summary>GELU, exact (erf) by default or with the tanh approximation GPT-2 used.</summary>
    public Tensor Gelu(bool tanhApproximation = false) => Unary(tanhApproximation ? UnaryOp.GeluTanh : UnaryOp.Gelu);

    public Tensor Silu() => Unary(UnaryOp.Silu);
    public Tensor Sin() => Unary(UnaryOp.Sin);
    public Tensor Cos() => Unary(UnaryOp.Cos);
    public Tensor Floor() => Unary(UnaryOp.Floor);
    public Tensor Ceil() => Unary(UnaryOp.Ceil);
    public Tensor Round() => Unary(UnaryOp.Round);
    public Tensor Sign() => Unary(UnaryOp.Sign);
    public Tensor LogicalNot() => Unary(UnaryOp.LogicalNot);
    public Tensor IsNan() => Unary(UnaryOp.IsNan);
    public Tensor IsFinite() => Unary(UnaryOp.IsFinite);

    // ---- binary ------------------------------------------------------------------------------

    public Tensor Add(Tensor other) => Binary(BinaryOp.Add, other);
    public Tensor Add(double other) => Binary(BinaryOp.Add, other);
    public Tensor Sub(Tensor other) => Binary(BinaryOp.Sub, other);
    public Tensor Sub(double other) => Binary(BinaryOp.Sub, other);
    public Tensor Mul(Tensor other) => Binary(BinaryOp.Mul, other);
    public Tensor Mul(double other) => Binary(BinaryOp.Mul, other);
    public Tensor Div(Tensor other) => Binary(BinaryOp.Div, other);
    public Tensor Div(double other) => Binary(BinaryOp.Div, other);
    public Tensor Pow(Tensor exponent) => Binary(BinaryOp.Pow, exponent);
    public Tensor Pow(double exponent) => Binary(BinaryOp.Pow, exponent);
    public Tensor Remainder(double other) => Binary(BinaryOp.Remainder, other);
    public Tensor Maximum(Tensor other) => Binary(BinaryOp.Maximum, other);
    public Tensor Minimum(Tensor other) => Binary(BinaryOp.Minimum, other);
    public Tensor Atan2(Tensor other) => Binary(BinaryOp.Atan2, other);
    public Tensor LogicalAnd(Tensor other) => Binary(BinaryOp.LogicalAnd, other);
    public Tensor LogicalOr(Tensor other) => Binary(BinaryOp.LogicalOr, other);

    public Tensor Eq(Tensor other) => Binary(BinaryOp.Eq, other);
    public Tensor Eq(double other) => Binary(BinaryOp.Eq, other);
    public Tensor Ne(Tensor other) => Binary(BinaryOp.Ne, other);
    public Tensor Ne(double other) => Binary(BinaryOp.Ne, other);
    public Tensor Lt(Tensor other) => Binary(BinaryOp.Lt, other);
    public Tensor Lt(double other) => Binary(BinaryOp.Lt, other);
    public Tensor Le(Tensor other) => Binary(BinaryOp.Le, other);
    public Tensor Le(double other) => Binary(BinaryOp.Le, other);
    public Tensor Gt(Tensor other) => Binary(BinaryOp.Gt, other);
    public Tensor Gt(double other) => Binary(BinaryOp.Gt, other);
    public Tensor Ge(Tensor other) => Binary(BinaryOp.Ge, other);
    public Tensor Ge(double other) => Binary(BinaryOp.Ge, other);

    /// <summary>Matrix product with NumPy broadcasting rules.</summary>
    public Tensor Matmul(Tensor other) => Binary(BinaryOp.Matmul, other);

    /// <summary>Batched matrix product: (B, N, M) x (B, M, P) -> (B, N, P).</summary>
    public Tensor Bmm(Tensor other) => Binary(BinaryOp.Bmm, other);

    public Tensor Clamp(double? min = null, double? max = null) =>
        Wrap(NativeMethods.wb_clamp(Handle, min ?? 0, max ?? 0, min.HasValue ? 1 : 0, max.HasValue ? 1 : 0, out var h), h, "clamp");

    /// <summary>Element-wise choice: where <paramref name="condition"/> is true take <paramref name="a"/>, else <paramref name="b"/>.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b) =>
        Wrap(NativeMethods.wb_where(condition.Handle, a.Handle, b.Handle, out var h), h, "where");

    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    public static Tensor operator +(Tensor a, double b) => a.Add(b);
    public static Tensor operator +(double a, Tensor b) => b.Add(a);
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    public static Tensor operator -(Tensor a, double b) => a.Sub(b);
    public static Tensor operator -(double a, Tensor b)
    {
        using var negated = b.Neg();
        return negated.Add(a);
    }
    public static Tensor operator -(Tensor a) => a.Neg();
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    public static Tensor operator *(Tensor a, double b) => a.Mul(b);
    public static Tensor operator *(double a, Tensor b) => b.Mul(a);
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    public static Tensor operator /(Tensor a, double b) => a.Div(b);
    public static Tensor operator /(double a, Tensor b)
    {
        using var inverse = b.Reciprocal();
        return inverse.Mul(a);
    }

    // ---- in place (for optimizers and initialisers; they bypass autograd's graph) --------------

    public Tensor Add_(Tensor other) { NativeMethods.Check(NativeMethods.wb_binary_(BinaryOp.Add, Handle, other.Handle), "add_"); return this; }
    public Tensor Add_(double other) { NativeMethods.Check(NativeMethods.wb_binary_scalar_(BinaryOp.Add, Handle, other), "add_"); return this; }
    public Tensor Sub_(Tensor other) { NativeMethods.Check(NativeMethods.wb_binary_(BinaryOp.Sub, Handle, other.Handle), "sub_"); return this; }
    public Tensor Mul_(Tensor other) { NativeMethods.Check(NativeMethods.wb_binary_(BinaryOp.Mul, Handle, other.Handle), "mul_"); return this; }
    public Tensor Mul_(double other) { NativeMethods.Check(NativeMethods.wb_binary_scalar_(BinaryOp.Mul, Handle, other), "mul_"); return this; }
    public Tensor Div_(Tensor other) { NativeMethods.Check(NativeMethods.wb_binary_(BinaryOp.Div, Handle, other.Handle), "div_"); return this; }
    public Tensor Div_(double other) { NativeMethods.Check(NativeMethods.wb_binary_scalar_(BinaryOp.Div, Handle, other), "div_"); return this; }

    /// <summary>this += alpha * other.</summary>
    public Tensor AddScaled_(Tensor other, double alpha) { NativeMethods.Check(NativeMethods.wb_add_scaled_(Handle, other.Handle, alpha), "add_"); return this; }

    /// <summary>this += value * a * b.</summary>
    public Tensor AddCMul_(Tensor a, Tensor b, double value) { NativeMethods.Check(NativeMethods.wb_addcmul_(Handle, a.Handle, b.Handle, value), "addcmul_"); return this; }

    /// <summary>this += value * a / b.</summary>
    public Tensor AddCDiv_(Tensor a, Tensor b, double value) { NativeMethods.Check(NativeMethods.wb_addcdiv_(Handle, a.Handle, b.Handle, value), "addcdiv_"); return this; }

    public Tensor Fill_(double value) { NativeMethods.Check(NativeMethods.wb_fill_(Handle, value), "fill_"); return this; }
    public Tensor Zero_() { NativeMethods.Check(NativeMethods.wb_zero_(Handle), "zero_"); return this; }

    // ---- reductions (no dims: over all dims) ---------------------------------------------------

    private Tensor Reduce(ReduceOp op, long[]? dims, bool keepDim, bool unbiased = true)
    {
        dims ??= [];
        fixed (long* d = dims)
            return Wrap(NativeMethods.wb_reduce(op, Handle, d, dims.Length, keepDim ? 1 : 0, unbiased ? 1 : 0, out var h), h, OpName(op));
    }

    public Tensor Sum(long[]? dims = null, bool keepDim = false) => Reduce(ReduceOp.Sum, dims, keepDim);
    public Tensor Sum(long dim, bool keepDim = false) => Reduce(ReduceOp.Sum, [dim], keepDim);
    public Tensor Mean(long[]? dims = null, bool keepDim = false) => Reduce(ReduceOp.Mean, dims, keepDim);
    public Tensor Mean(long dim, bool keepDim = false) => Reduce(ReduceOp.Mean, [dim], keepDim);
    public Tensor Amax(long[]? dims = null, bool keepDim = false) => Reduce(ReduceOp.Amax, dims, keepDim);
    public Tensor Amin(long[]? dims = null, bool keepDim = false) => Reduce(ReduceOp.Amin, dims, keepDim);
    public Tensor LogSumExp(long dim, bool keepDim = false) => Reduce(ReduceOp.LogSumExp, [dim], keepDim);
    public Tensor Var(long[]? dims = null, bool unbiased = true, bool keepDim = false) => Reduce(ReduceOp.Var, dims, keepDim, unbiased);
    public Tensor Std(long[]? dims = null, bool unbiased = true, bool keepDim = false) => Reduce(ReduceOp.Std, dims, keepDim, unbiased);
    public Tensor Prod(long dim, bool keepDim = false) => Reduce(ReduceOp.Prod, [dim], keepDim);

    /// <summary>The L2 norm over dims (all by default).</summary>
    public Tensor Norm(long[]? dims = null, bool keepDim = false) => Reduce(ReduceOp.Norm, dims, keepDim);

    /// <summary>The maximum over all elements.</summary>
    public Tensor Max() => Reduce(ReduceOp.Amax, null, false);

    /// <summary>The minimum over all elements.</summary>
    public Tensor Min() => Reduce(ReduceOp.Amin, null, false);

    /// <summary>Maximum values and their indices along one dim.</summary>
    public (Tensor Values, Tensor Indices) Max(long dim, bool keepDim = false)
    {
        NativeMethods.Check(NativeMethods.wb_max_dim(Handle, dim, keepDim ? 1 : 0, out var v, out var i), "max");
        return (new Tensor(v), new Tensor(i));
    }

    /// <summary>Minimum values and their indices along one dim.</summary>
    public (Tensor Values, Tensor Indices) Min(long dim, bool keepDim = false)
    {
        NativeMethods.Check(NativeMethods.wb_min_dim(Handle, dim, keepDim ? 1 : 0, out var v, out var i), "min");
        return (new Tensor(v), new Tensor(i));
    }

    public Tensor ArgMax(long dim, bool keepDim = false) => Wrap(NativeMethods.wb_argmax(Handle, dim, keepDim ? 1 : 0, out var h), h, "argmax");

    public Tensor ArgMin(long dim, bool keepDim = false) => Wrap(NativeMethods.wb_argmin(Handle, dim, keepDim ? 1 : 0, out var h), h, "argmin");
}
