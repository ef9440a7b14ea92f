// Declarations for src/Native/wb_nn.cpp: neural-network functions and losses.
using System.Runtime.InteropServices;

namespace Workbench.Torch.Native;

internal static partial class NativeMethods
{
    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_nn_linear(TensorHandle input, TensorHandle weight, IntPtr bias, out IntPtr result);
}
