// Declarations for src/Native/wb_runtime.cpp: version, threads, seeding, CUDA devices.
using System.Runtime.InteropServices;

namespace Workbench.Torch.Native;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_version(byte* buffer, long capacity, out long length);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_build_config(byte* buffer, long capacity, out long length);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_has_torch2();

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_set_num_threads(long n);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_get_num_threads(out long result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_get_blas_threads(out long result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_blas_corename(byte* buffer, long capacity, out long length);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_linear_backend(byte* buffer, long capacity, out long length);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_manual_seed(long seed);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_cuda_device_count(out long result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_cuda_device_name(long index, byte* buffer, long capacity, out long length);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_cuda_memory(long index, out long total, out long allocated, out long peak);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_cuda_reset_peak(long index);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_cuda_synchronize(long index);

    /// <summary>Reads a string from a wb_* export that fills a caller buffer and reports the full length.</summary>
    internal delegate int StringReader(byte* buffer, long capacity, out long length);

    internal static string ReadString(StringReader read, string op)
    {
        Check(read(null, 0, out var length), op);
        var bytes = new byte[length + 1];
        fixed (byte* p = bytes) Check(read(p, bytes.Length, out length), op);
        return System.Text.Encoding.UTF8.GetString(bytes, 0, (int)length);
    }
}
