// The activation functions a spec can name (model.activation), applied as tensor functions.
using Workbench.Torch;

namespace Workbench.Models;

public enum ActivationKind
{
    Relu,
    Tanh,
    Sigmoid,
    Gelu,
}

public static class Activation
{
    public static ActivationKind Parse(string name) => name switch
    {
        "relu" => ActivationKind.Relu,
        "tanh" => ActivationKind.Tanh,
        "sigmoid" => ActivationKind.Sigmoid,
        "gelu" => ActivationKind.Gelu,
        _ => throw new ArgumentException($"unknown activation '{name}' (relu, tanh, sigmoid, gelu)"),
    };

    public static Tensor Apply(this ActivationKind kind, Tensor x) => kind switch
    {
        ActivationKind.Relu => x.Relu(),
        ActivationKind.Tanh => x.Tanh(),
        ActivationKind.Sigmoid => x.Sigmoid(),
        ActivationKind.Gelu => x.Gelu(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
