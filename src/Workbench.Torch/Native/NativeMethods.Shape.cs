// Declarations for src/Native/wb_shape.cpp and wb_index.cpp: views, slicing, joining, splitting, indexing.
using System.Runtime.InteropServices;

namespace Workbench.Torch.Native;

// Codes match the enum in src/Native/wb_shape.cpp; the comment gives each op's int64 arguments.
internal enum ShapeOp
{
    Reshape,     // shape...
    View,        // shape...
    Permute,     // dims...
    Expand,      // shape...
    Transpose,   // dim0, dim1
    SqueezeAll,  // (none)
    Squeeze,     // dim
    Unsqueeze,   // dim
    Flatten,     // startDim, endDim
    Narrow,      // dim, start, length
    Slice,       // dim, start, end, step
    Tril,        // diagonal
    Triu,        // diagonal
    CumSum,      // dim
}

internal enum JoinOp { Cat, Stack }

internal enum SplitOp { Split, Chunk, SplitSizes }

// Codes match the enum in src/Native/wb_index.cpp.
internal enum IndexOp { IndexSelect, Gather, Scatter, ScatterAdd, IndexAdd }

internal static unsafe partial class NativeMethods
{
    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_shape(ShapeOp op, TensorHandle a, long* args, long nargs, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_join(JoinOp op, IntPtr* tensors, long n, long dim, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_split(SplitOp op, TensorHandle a, long* sizes, long nsizes, long dim, IntPtr* result, long capacity, out long count);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_index_op(IndexOp op, TensorHandle a, long dim, TensorHandle index, IntPtr src, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_masked_fill(TensorHandle a, TensorHandle mask, double value, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_topk(TensorHandle a, long k, long dim, int largest, int sorted, out IntPtr values, out IntPtr indices);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_multinomial(TensorHandle probs, long n, int replacement, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_one_hot(TensorHandle a, long numClasses, out IntPtr result);
}
