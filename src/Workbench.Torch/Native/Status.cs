// The one place where a native status becomes a typed exception (see src/Native/wb_common.h).
using System.Runtime.InteropServices;

namespace Workbench.Torch.Native;

internal static partial class NativeMethods
{
    static NativeMethods() => NativeLibraryLoader.Register();

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    private static partial IntPtr wb_last_error();

    /// <summary>Throws the exception for a failed call of <paramref name="op"/>; does nothing for status 0.</summary>
    internal static void Check(int status, string op)
    {
        if (status == 0) return;
        var message = Marshal.PtrToStringUTF8(wb_last_error()) ?? "";
        throw TorchException.From(status, op, message);
    }
}
