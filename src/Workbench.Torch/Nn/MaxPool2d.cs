// MaxPool2d: the maximum over kernel windows; the stride defaults to the kernel size, as in PyTorch.
namespace Workbench.Torch.Nn;

public sealed class MaxPool2d(long kernelSize, long? stride = null, long padding = 0, bool ceilMode = false) : Layer
{
    public long KernelSize { get; } = kernelSize;
    public long Stride { get; } = stride ?? kernelSize;
    public long Padding { get; } = padding;
    public bool CeilMode { get; } = ceilMode;

    // (N, C, H, W) -> (N, C, H_out, W_out)
    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, KernelSize, Stride, Padding, CeilMode);
}
