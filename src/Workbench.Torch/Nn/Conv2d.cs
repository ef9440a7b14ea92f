// Conv2d: a 2-D convolution layer, initialised as PyTorch does (kaiming uniform with a = sqrt(5),
// which is uniform in ±1/sqrt(fan_in) for the weight, and the same bound for the bias).
namespace Workbench.Torch.Nn;

public sealed class Conv2d : Layer
{
    public Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool bias = true)
    {
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"channels in ({inChannels}) and out ({outChannels}) must both divide into {groups} groups");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        Groups = groups;
        var fanIn = inChannels / groups * kernelSize * kernelSize;
        var bound = 1.0 / Math.Sqrt(fanIn);
        Weight = RegisterParameter("weight", Init.Uniform([outChannels, inChannels / groups, kernelSize, kernelSize], -bound, bound));
        Bias = bias ? RegisterParameter("bias", Init.Uniform([outChannels], -bound, bound)) : null;
    }

    public long InChannels { get; }
    public long OutChannels { get; }
    public long KernelSize { get; }
    public long Stride { get; }
    public long Padding { get; }
    public long Dilation { get; }
    public long Groups { get; }
    public Tensor Weight { get; }  // (C_out, C_in / groups, k, k)
    public Tensor? Bias { get; }   // (C_out)

    // (N, C_in, H, W) -> (N, C_out, H_out, W_out)
    public override Tensor Forward(Tensor input) => Functional.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);
}
