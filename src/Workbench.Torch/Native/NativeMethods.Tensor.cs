// Declarations for src/Native/wb_tensor.cpp: lifetime, creation, metadata, read-back, conversion.
using System.Runtime.InteropServices;

namespace Workbench.Torch.Native;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial void wb_tensor_free(IntPtr t);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_from_data(void* data, long* shape, long ndim, int dtype, int deviceType, int deviceIndex, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_copy_to(TensorHandle t, void* dst, long nbytes);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_ndim(TensorHandle t, out long result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_shape(TensorHandle t, long* result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_numel(TensorHandle t, out long result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_dtype(TensorHandle t, out int result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_device(TensorHandle t, out int type, out int index);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_requires_grad(TensorHandle t, out int result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_set_requires_grad_(TensorHandle t, int value);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_item_double(TensorHandle t, out double result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_item_int64(TensorHandle t, out long result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_empty(long* shape, long ndim, int dtype, int deviceType, int deviceIndex, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_full(long* shape, long ndim, double value, int dtype, int deviceType, int deviceIndex, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_arange(double start, double end, double step, int dtype, int deviceType, int deviceIndex, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_rand(long* shape, long ndim, int dtype, int deviceType, int deviceIndex, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_randn(long* shape, long ndim, int dtype, int deviceType, int deviceIndex, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_randint(long low, long high, long* shape, long ndim, int dtype, int deviceType, int deviceIndex, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_eye(long n, long m, int dtype, int deviceType, int deviceIndex, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_to(TensorHandle t, int dtype, int deviceType, int deviceIndex, int copy, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_clone(TensorHandle t, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_detach(TensorHandle t, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_contiguous(TensorHandle t, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_copy_(TensorHandle dst, TensorHandle src);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_tensor_set_data_(TensorHandle t, TensorHandle source);
}
