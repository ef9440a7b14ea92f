// Passes a list of tensors to a wb_* export that takes an array of handles and a count.
namespace Workbench.Torch.Native;

internal static unsafe class TensorArrayCall
{
    internal delegate int ArrayCall(IntPtr* handles, long count);

    /// <summary>Calls <paramref name="call"/> on the tensors' handles and throws for its status; <paramref name="op"/> names it.</summary>
    internal static void Run(IReadOnlyList<Tensor> tensors, ArrayCall call, string op)
    {
        var handles = new IntPtr[tensors.Count];
        for (var i = 0; i < handles.Length; i++)
        {
            if (tensors[i].IsDisposed) throw new ObjectDisposedException(nameof(Tensor), $"{op}: tensor {i} was disposed");
            handles[i] = tensors[i].Handle.DangerousGetHandle();
        }
        fixed (IntPtr* p = handles) NativeMethods.Check(call(p, handles.Length), op);
        // Raw handles hold no reference, so the tensors are kept alive until the call returns.
        GC.KeepAlive(tensors);
    }
}
