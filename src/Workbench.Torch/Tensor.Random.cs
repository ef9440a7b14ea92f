// In-place sampling from the global generator (initialisers build on these). Like every in-place
// op, on a leaf that requires grad they must run under NoGrad, as torch.nn.init does.
using Workbench.Torch.Native;

namespace Workbench.Torch;

public sealed partial class Tensor
{
    /// <summary>Fills this tensor from U[<paramref name="from"/>, <paramref name="to"/>) and returns it.</summary>
    public Tensor Uniform_(double from = 0, double to = 1)
    {
        NativeMethods.Check(NativeMethods.wb_uniform_(Handle, from, to), "uniform_");
        return this;
    }

    /// <summary>Fills this tensor from N(<paramref name="mean"/>, <paramref name="std"/>²) and returns it.</summary>
    public Tensor Normal_(double mean = 0, double std = 1)
    {
        NativeMethods.Check(NativeMethods.wb_normal_(Handle, mean, std), "normal_");
        return this;
    }
}
