// The SafeHandle that owns one native at::Tensor; releasing it is the only way a tensor is freed.
// It counts how many are alive and how many the GC had to free because nobody disposed them.
using System.Runtime.InteropServices;

namespace Workbench.Torch.Native;

internal sealed class TensorHandle : SafeHandle
{
    private static long _live;
    private static long _finalized;

    /// <summary>Native tensors created and not yet released, across all threads.</summary>
    internal static long Live => Interlocked.Read(ref _live);

    /// <summary>Native tensors released by the finalizer rather than by Dispose, since the process started.</summary>
    internal static long Finalized => Interlocked.Read(ref _finalized);

    internal TensorHandle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(handle);
        Interlocked.Increment(ref _live);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override void Dispose(bool disposing)
    {
        // The finalizer calls Dispose(false); a closed handle has nothing left to release.
        if (!disposing && !IsClosed && !IsInvalid)
        {
            Interlocked.Increment(ref _finalized);
        }
        base.Dispose(disposing);
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.wb_tensor_free(handle);
        Interlocked.Decrement(ref _live);
        return true;
    }
}
