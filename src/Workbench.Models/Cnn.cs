// A small convolutional classifier: (N, H*W) images -> [Conv2d (same padding) -> activation -> max pool]
// per channel count -> flatten -> [Linear -> activation -> dropout] per hidden size -> Linear -> (N, classes).
using Workbench.Torch;
using Workbench.Torch.Nn;

namespace Workbench.Models;

public sealed class Cnn : Layer
{
    private readonly List<Conv2d> _convs = [];
    private readonly Mlp _head;
    private readonly ActivationKind _activation;
    private readonly int _side;
    private readonly int _pool;

    /// <param name="side">Images are side x side, one channel (28 for MNIST).</param>
    public Cnn(int side, IReadOnlyList<int> channels, int kernel, int pool, IReadOnlyList<int> hidden, int classes,
        ActivationKind activation, double dropout = 0)
    {
        _side = side;
        _pool = pool;
        _activation = activation;
        var inChannels = 1;
        var size = side;
        for (var i = 0; i < channels.Count; i++)
        {
            _convs.Add(RegisterModule($"conv{i}", new Conv2d(inChannels, channels[i], kernel, padding: kernel / 2)));
            inChannels = channels[i];
            size /= pool;
        }
        if (size < 1) throw new ArgumentException($"{channels.Count} pooling layers of {pool} shrink a {side}x{side} image to nothing");
        _head = RegisterModule("head", new Mlp(inChannels * size * size, hidden, classes, activation, dropout));
    }

    // (N, side*side) -> (N, classes)
    public override Tensor Forward(Tensor input)
    {
        var x = input.Reshape(-1, 1, _side, _side);                     // (N, 1, H, W)
        foreach (var conv in _convs)
            x = Functional.MaxPool2d(_activation.Apply(conv.Forward(x)), _pool);  // (N, C, H/p, W/p)
        return _head.Forward(x.Flatten(1));                            // (N, C*H'*W') -> (N, classes)
    }
}
