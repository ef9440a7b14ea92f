// Stateless neural-network functions (PyTorch's torch.nn.functional): layers and losses call these.
using Workbench.Torch.Native;

namespace Workbench.Torch;

public static class Functional
{
    /// <summary>y = x W^T + b: input (*, in), weight (out, in), bias (out) -> (*, out).</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        var result = Tensor.Wrap(NativeMethods.wb_nn_linear(input.Handle, weight.Handle, Optional(bias), out var h), h, "linear");
        GC.KeepAlive(bias);
        return result;
    }

    /// <summary>
    /// A raw handle for an optional tensor argument (null crosses as a null pointer). The caller keeps
    /// the tensor alive across the call with GC.KeepAlive, since a raw handle holds no reference.
    /// </summary>
    internal static IntPtr Optional(Tensor? t) => t?.Handle.DangerousGetHandle() ?? IntPtr.Zero;
}
