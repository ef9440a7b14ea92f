// The spec's `precision` as an autocast region around forward passes and losses (never backward or
// the optimizer step), as nanoGPT's `with ctx:`: bf16 runs matmuls, linears, convs and attention in
// bfloat16 with float32 weights; fp32 needs no region.
using Workbench.Torch;

namespace Workbench.Experiments.Stages;

public static class MixedPrecision
{
    /// <summary>A region to dispose after the forward pass, or null for fp32.</summary>
    public static Autocast? Region(string precision, Device device) =>
        precision == "bf16" ? new Autocast(device, ScalarType.BFloat16) : null;
}
