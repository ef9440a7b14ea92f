// The SafeHandle that owns one native at::Tensor; releasing it is the only way a tensor is freed.
using System.Runtime.InteropServices;

namespace Workbench.Torch.Native;

internal sealed class TensorHandle : SafeHandle
{
    private static long _live;

    /// <summary>Native tensors created and not yet released, across all threads.</summary>
    internal static long Live => Interlocked.Read(ref _live);

    internal TensorHandle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(handle);
        Interlocked.Increment(ref _live);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.wb_tensor_free(handle);
        Interlocked.Decrement(ref _live);
        return true;
    }
}
