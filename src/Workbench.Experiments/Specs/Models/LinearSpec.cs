// Model kind `linear`: one affine layer, features -> outputs (linear and logistic regression).
using Workbench.Models;
using Workbench.Torch.Nn;

namespace Workbench.Experiments.Specs;

public sealed record LinearSpec() : SupervisedModelSpec("linear")
{
    public static readonly IReadOnlyList<string> Keys = [];

    internal static ModelSpec Read(SpecSection model) => new LinearSpec();

    internal override void Write(Mapping map) { }

    public override Layer Build(SupervisedShape shape) => new Mlp(shape.Inputs, [], shape.Outputs, ActivationKind.Relu);
}
