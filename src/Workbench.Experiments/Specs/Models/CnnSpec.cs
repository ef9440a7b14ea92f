// Model kind `cnn`: convolution + pooling blocks, then an MLP head; sized by the data's image shape.
using Workbench.Models;
using Workbench.Torch.Nn;

namespace Workbench.Experiments.Specs;

public sealed record CnnSpec(ValueList<int> Channels, int Kernel, int Pool, ValueList<int> Hidden, string Activation, double Dropout)
    : SupervisedModelSpec("cnn")
{
    public static readonly IReadOnlyList<string> Keys = ["channels", "kernel", "pool", "hidden", "activation", "dropout"];

    internal static ModelSpec Read(SpecSection model) => new CnnSpec(
        model.IntList("channels", ValueList.Of(32, 64), ModelKeys.Positive),
        model.Int("kernel", 3, ModelKeys.Positive),
        model.Int("pool", 2, ModelKeys.Positive),
        model.IntList("hidden", ValueList.Of(128), ModelKeys.Positive),
        ModelKeys.Activation(model, "relu"),
        model.Number("dropout", 0.0, Bound.Fraction));

    internal override void Write(Mapping map)
    {
        map.Add("channels", ModelKeys.Ints(Channels));
        map.Add("kernel", (long)Kernel);
        map.Add("pool", (long)Pool);
        map.Add("hidden", ModelKeys.Ints(Hidden));
        map.Add("activation", Activation);
        map.Add("dropout", Dropout);
    }

    public override Layer Build(SupervisedShape shape)
    {
        var image = shape.Image ?? throw new ArgumentException("a cnn needs image data (its rows' channels, height and width)");
        return new Cnn((image.Channels, image.Height, image.Width), Channels.ToList(), Kernel, Pool, Hidden.ToList(), shape.Outputs,
            Workbench.Models.Activation.Parse(Activation), Dropout);
    }
}
