// Model kind `mlp`: the curriculum's Keras MNIST model (Glorot init), hidden layers of any widths.
using Workbench.Models;
using Workbench.Torch.Nn;

namespace Workbench.Experiments.Specs;

public sealed record MlpSpec(ValueList<int> Hidden, string Activation, double Dropout) : SupervisedModelSpec("mlp")
{
    public static readonly IReadOnlyList<string> Keys = ["hidden", "activation", "dropout"];

    internal static ModelSpec Read(SpecSection model) => new MlpSpec(
        model.IntList("hidden", ValueList.Of(200, 100, 75), ModelKeys.Positive),
        ModelKeys.Activation(model, "relu"),
        model.Number("dropout", 0.0, Bound.Fraction));

    internal override void Write(Mapping map)
    {
        map.Add("hidden", ModelKeys.Ints(Hidden));
        map.Add("activation", Activation);
        map.Add("dropout", Dropout);
    }

    public override Layer Build(SupervisedShape shape) =>
        new Mlp(shape.Inputs, Hidden.ToList(), shape.Outputs, Workbench.Models.Activation.Parse(Activation), Dropout, MlpInit.Glorot);
}
