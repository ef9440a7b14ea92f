// Declarations for src/Native/wb_elementwise.cpp, wb_reduce.cpp and wb_autograd.cpp.
using System.Runtime.InteropServices;

namespace Workbench.Torch.Native;

// Codes match the enums in src/Native/wb_elementwise.cpp.
internal enum UnaryOp
{
    Neg, Exp, Log, Sqrt, Rsqrt, Abs, Tanh, Sigmoid, Relu, Gelu,
    Silu, Sin, Cos, Floor, Ceil, Round, Sign, LogicalNot, Square, Reciprocal,
    Log1p, Expm1, IsNan, IsFinite, GeluTanh, LogSigmoid,
}

internal enum BinaryOp
{
    Add, Sub, Mul, Div, Pow, Eq, Ne, Lt, Le, Gt,
    Ge, Maximum, Minimum, Remainder, LogicalAnd, LogicalOr, Matmul, Bmm, Atan2,
}

// Codes match the enum in src/Native/wb_reduce.cpp.
internal enum ReduceOp { Sum, Mean, Amax, Amin, LogSumExp, Var, Std, Prod, Norm }

internal static unsafe partial class NativeMethods
{
    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_unary(UnaryOp op, TensorHandle a, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_binary(BinaryOp op, TensorHandle a, TensorHandle b, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_binary_scalar(BinaryOp op, TensorHandle a, double s, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_binary_(BinaryOp op, TensorHandle a, TensorHandle b);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_binary_scalar_(BinaryOp op, TensorHandle a, double s);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_add_scaled_(TensorHandle a, TensorHandle b, double alpha);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_addcmul_(TensorHandle a, TensorHandle b, TensorHandle c, double value);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_addcdiv_(TensorHandle a, TensorHandle b, TensorHandle c, double value);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_fill_(TensorHandle a, double value);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_zero_(TensorHandle a);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_clamp(TensorHandle a, double min, double max, int hasMin, int hasMax, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_where(TensorHandle cond, TensorHandle a, TensorHandle b, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_reduce(ReduceOp op, TensorHandle a, long* dims, long ndims, int keepdim, int unbiased, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_max_dim(TensorHandle a, long dim, int keepdim, out IntPtr values, out IntPtr indices);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_min_dim(TensorHandle a, long dim, int keepdim, out IntPtr values, out IntPtr indices);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_argmax(TensorHandle a, long dim, int keepdim, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_argmin(TensorHandle a, long dim, int keepdim, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_autograd_backward(TensorHandle t, IntPtr grad, int retainGraph);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_autograd_grad(TensorHandle t, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_autograd_clear_grad(TensorHandle t);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_autograd_set_grad_enabled(int enabled, out int previous);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_autocast_enter(int cuda, int dtype, out int wasEnabled, out int wasDtype);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_autocast_exit(int cuda, int wasEnabled, int wasDtype);
}
