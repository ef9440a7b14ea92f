// Declarations for src/Native/wb_optim.cpp: gradient norm and clipping over arrays of parameters.
using System.Runtime.InteropServices;

namespace Workbench.Torch.Native;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_optim_grad_norm(IntPtr* parameters, long count, out double result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_optim_clip_grad_norm_(IntPtr* parameters, long count, double maxNorm, out double result);
}
