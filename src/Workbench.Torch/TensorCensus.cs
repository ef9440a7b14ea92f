// A leak check's two numbers: native tensors alive, and tensors the GC had to free because nobody
// disposed them. Take one before and one after a piece of work; equal censuses mean the work
// released everything it made, by Dispose, whatever other code left to the finalizer earlier.
using Workbench.Torch.Native;

namespace Workbench.Torch;

public readonly record struct TensorCensus(long Live, long Finalized)
{
    /// <summary>
    /// Counts after first running the finalizers of everything already unreachable, so tensors that
    /// earlier code forgot to dispose cannot be freed in the middle of the check and skew it.
    /// </summary>
    public static TensorCensus Take()
    {
        for (var i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return new TensorCensus(TensorHandle.Live, TensorHandle.Finalized);
    }
}
