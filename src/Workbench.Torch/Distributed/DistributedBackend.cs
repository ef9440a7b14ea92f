// The collective backends a process group can run on, and which of them this engine was built with.
using Workbench.Torch.Native;

namespace Workbench.Torch.Distributed;

/// <summary>Gloo moves CPU tensors over TCP; NCCL moves CUDA tensors between GPUs.</summary>
public enum DistributedBackend
{
    Gloo = 1,
    Nccl = 2,
}

public static class DistributedBackends
{
    /// <summary>
    /// The backends compiled into the shim: Gloo where the libtorch has c10d and Gloo's headers were
    /// found (Debian: libgloo-dev), NCCL where a CUDA libtorch brings it. Empty: no data parallel.
    /// </summary>
    public static IReadOnlyList<DistributedBackend> Available
    {
        get
        {
            NativeMethods.Check(NativeMethods.wb_dist_backends(out var bits), "dist_backends");
            return Enum.GetValues<DistributedBackend>().Where(b => (bits & (int)b) != 0).ToList();
        }
    }

    /// <summary>The name a spec, `show` and `doctor` use: "gloo" or "nccl".</summary>
    public static string Name(this DistributedBackend backend) => backend.ToString().ToLowerInvariant();
}
