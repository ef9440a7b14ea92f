// What several engine tests share: the PyTorch fixtures and a small MLP to train (comparison: tests/Shared/Close.cs).
using Workbench.Torch.Nn;

namespace Workbench.Torch.Tests;

internal static class Fixtures
{
    /// <summary>A fixture file's tensors; they join the current TensorScope.</summary>
    public static Dictionary<string, Tensor> Load(string name) =>
        SafeTensors.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}

/// <summary>in -> hidden (tanh) -> out: enough of a model to train, checkpoint and leak-test.</summary>
internal sealed class TinyMlp : Layer
{
    private readonly Linear _hidden;
    private readonly Linear _output;

    public TinyMlp(long inputs, long hidden, long outputs)
    {
        _hidden = RegisterModule("hidden", new Linear(inputs, hidden));
        _output = RegisterModule("output", new Linear(hidden, outputs));
    }

    // (B, in) -> (B, out)
    public override Tensor Forward(Tensor input) => _output.Forward(_hidden.Forward(input).Tanh());

    /// <summary>Mean squared error of the prediction against <paramref name="target"/>, composed from primitive ops.</summary>
    public Tensor MseLoss(Tensor input, Tensor target) => (Forward(input) - target).Square().Mean();
}
