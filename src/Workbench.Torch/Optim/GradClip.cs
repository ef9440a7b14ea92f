// The global gradient norm (the grad_norm metric) and clipping by it, as torch.nn.utils.clip_grad_norm_.
using Workbench.Torch.Native;

namespace Workbench.Torch.Optim;

public static unsafe class GradClip
{
    /// <summary>
    /// Scales all gradients together so that their global 2-norm is at most <paramref name="maxNorm"/>
    /// (by maxNorm / (norm + 1e-6) when above it) and returns the norm before clipping. Parameters without
    /// a gradient are skipped; with none at all the norm is 0. Returning the norm is a CPU-GPU sync point.
    /// </summary>
    public static double ClipByGlobalNorm(IEnumerable<Tensor> parameters, double maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "the gradient clip norm must be positive");
        var list = parameters as IReadOnlyList<Tensor> ?? parameters.ToList();
        double norm = 0;
        TensorArrayCall.Run(list, (p, n) => NativeMethods.wb_optim_clip_grad_norm_(p, n, maxNorm, out norm), "clip_grad_norm_");
        return norm;
    }

    /// <summary>The global 2-norm of the gradients, without changing them (a CPU-GPU sync point).</summary>
    public static double GradNorm(IEnumerable<Tensor> parameters)
    {
        var list = parameters as IReadOnlyList<Tensor> ?? parameters.ToList();
        double norm = 0;
        TensorArrayCall.Run(list, (p, n) => NativeMethods.wb_optim_grad_norm(p, n, out norm), "grad_norm");
        return norm;
    }
}
