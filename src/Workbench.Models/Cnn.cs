// A small convolutional classifier: (N, C*H*W) images -> [Conv2d (same padding) -> activation -> max pool]
// per channel count -> flatten -> [Linear -> activation -> dropout] per hidden size -> Linear -> (N, classes).
using Workbench.Torch;
using Workbench.Torch.Nn;

namespace Workbench.Models;

public sealed class Cnn : Layer
{
    private readonly List<Conv2d> _convs = [];
    private readonly Mlp _head;
    private readonly ActivationKind _activation;
    private readonly (int Channels, int Height, int Width) _image;
    private readonly int _pool;

    /// <param name="image">The input images' shape (MNIST: 1 x 28 x 28); each row of the input holds one, flattened.</param>
    public Cnn((int Channels, int Height, int Width) image, IReadOnlyList<int> channels, int kernel, int pool, IReadOnlyList<int> hidden, int classes,
        ActivationKind activation, double dropout = 0)
    {
        _image = image;
        _pool = pool;
        _activation = activation;
        var inChannels = image.Channels;
        var (height, width) = (image.Height, image.Width);
        for (var i = 0; i < channels.Count; i++)
        {
            _convs.Add(RegisterModule($"conv{i}", new Conv2d(inChannels, channels[i], kernel, padding: kernel / 2)));
            inChannels = channels[i];
            (height, width) = (height / pool, width / pool);
        }
        if (height < 1 || width < 1)
            throw new ArgumentException($"{channels.Count} pooling layers of {pool} shrink a {image.Height}x{image.Width} image to nothing");
        _head = RegisterModule("head", new Mlp(inChannels * height * width, hidden, classes, activation, dropout));
    }

    // (N, C*H*W) -> (N, classes)
    public override Tensor Forward(Tensor input)
    {
        var x = input.Reshape(-1, _image.Channels, _image.Height, _image.Width);   // (N, C, H, W)
        foreach (var conv in _convs)
            x = Functional.MaxPool2d(_activation.Apply(conv.Forward(x)), _pool);  // (N, C, H/p, W/p)
        return _head.Forward(x.Flatten(1));                            // (N, C*H'*W') -> (N, classes)
    }
}
