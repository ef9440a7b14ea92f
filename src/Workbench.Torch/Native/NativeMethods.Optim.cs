// Declarations for src/Native/wb_optim.cpp: gradient norm and clipping over arrays of parameters, the fused Adam step.
using System.Runtime.InteropServices;

namespace Workbench.Torch.Native;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_optim_grad_norm(IntPtr* parameters, long count, out double result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_optim_adam_step(IntPtr* parameters, IntPtr* expAvgs, IntPtr* expAvgSqs, long* steps, long count,
        double learningRate, double beta1, double beta2, double eps, double weightDecay, int decoupled, int* updated);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_optim_clip_grad_norm_(IntPtr* parameters, long count, double maxNorm, out double result);
}
