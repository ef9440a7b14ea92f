// Declarations for src/Native/wb_rng.cpp: generator state and in-place sampling.
using System.Runtime.InteropServices;

namespace Workbench.Torch.Native;

internal static partial class NativeMethods
{
    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_rng_get_state(int deviceType, long index, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_rng_set_state(int deviceType, long index, TensorHandle state);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_uniform_(TensorHandle t, double from, double to);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_normal_(TensorHandle t, double mean, double std);
}
