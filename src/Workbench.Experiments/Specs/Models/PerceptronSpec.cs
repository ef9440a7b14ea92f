// Model kind `perceptron`: one hidden layer of `hidden` units (the XOR exercise; PyTorch's init).
using Workbench.Models;
using Workbench.Torch.Nn;

namespace Workbench.Experiments.Specs;

public sealed record PerceptronSpec(int Hidden, string Activation) : SupervisedModelSpec("perceptron")
{
    public static readonly IReadOnlyList<string> Keys = ["hidden", "activation"];

    internal static ModelSpec Read(SpecSection model) =>
        new PerceptronSpec(model.Int("hidden", 2, ModelKeys.Positive), ModelKeys.Activation(model, "sigmoid"));

    // One hidden layer, written as its width.
    internal override void Write(Mapping map)
    {
        map.Add("hidden", (long)Hidden);
        map.Add("activation", Activation);
    }

    public override Layer Build(SupervisedShape shape) =>
        new Mlp(shape.Inputs, [Hidden], shape.Outputs, Workbench.Models.Activation.Parse(Activation));
}
