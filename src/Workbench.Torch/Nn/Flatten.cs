// Flatten: merges dims startDim..endDim into one (by default everything after the batch dim).
namespace Workbench.Torch.Nn;

public sealed class Flatten(long startDim = 1, long endDim = -1) : Layer
{
    public long StartDim { get; } = startDim;
    public long EndDim { get; } = endDim;

    // (N, C, H, W) -> (N, C*H*W) by default
    public override Tensor Forward(Tensor input) => input.Flatten(StartDim, EndDim);
}
