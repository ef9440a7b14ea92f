// Sequential: layers applied in order, registered as children "0", "1", ... as PyTorch names them.
namespace Workbench.Torch.Nn;

public sealed class Sequential : Layer
{
    private readonly List<Layer> _layers = [];

    public Sequential(params Layer[] layers)
    {
        foreach (var layer in layers) Add(layer);
    }

    public Sequential Add(Layer layer)
    {
        _layers.Add(RegisterModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer));
        return this;
    }

    public int Count => _layers.Count;

    public Layer this[int index] => _layers[index];

    /// <summary>Runs each layer on the previous one's output; the intermediates are disposed here.</summary>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers)
        {
            var next = layer.Forward(x);
            if (!ReferenceEquals(x, input)) x.Dispose();
            x = next;
        }
        // An empty Sequential is the identity: a view, so the caller still owns (and disposes) its input.
        return ReferenceEquals(x, input) ? input.Reshape(input.Shape) : x;
    }
}
