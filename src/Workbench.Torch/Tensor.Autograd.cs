// Autograd on a tensor: backward, the accumulated gradient, and clearing it.
using Workbench.Torch.Native;

namespace Workbench.Torch;

public sealed partial class Tensor
{
    /// <summary>Backpropagates from this tensor; <paramref name="gradient"/> is needed unless it holds one element.</summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false)
    {
        var success = false;
        gradient?.Handle.DangerousAddRef(ref success);
        try
        {
            var g = gradient?.Handle.DangerousGetHandle() ?? IntPtr.Zero;
            NativeMethods.Check(NativeMethods.wb_autograd_backward(Handle, g, retainGraph ? 1 : 0), "backward");
        }
        finally
        {
            if (success) gradient!.Handle.DangerousRelease();
        }
    }

    /// <summary>A new handle on the accumulated gradient, or null when there is none. The caller disposes it.</summary>
    public Tensor? Grad()
    {
        NativeMethods.Check(NativeMethods.wb_autograd_grad(Handle, out var h), "grad");
        return h == IntPtr.Zero ? null : new Tensor(h);
    }

    /// <summary>Drops the gradient (PyTorch's zero_grad with set_to_none).</summary>
    public void ClearGrad() => NativeMethods.Check(NativeMethods.wb_autograd_clear_grad(Handle), "clear_grad");
}

/// <summary>Disables gradient tracking on this thread until disposed: <c>using (new NoGrad()) { ... }</c>.</summary>
public sealed class NoGrad : IDisposable
{
    private readonly bool _previous;

    public NoGrad() => _previous = GradMode.Set(false);

    public void Dispose() => GradMode.Set(_previous);
}

public static class GradMode
{
    /// <summary>Sets whether this thread records gradients; returns the previous setting.</summary>
    public static bool Set(bool enabled)
    {
        NativeMethods.Check(NativeMethods.wb_autograd_set_grad_enabled(enabled ? 1 : 0, out var previous), "set_grad_enabled");
        return previous != 0;
    }
}
