// What every sampling loop does around its steps: the model in eval mode without gradients, the
// generator seeded when the settings give a seed, and on leaving, the model's mode and the global
// generator's state put back, so sampling in the middle of training changes neither.
using Workbench.Torch;
using Workbench.Torch.Nn;

namespace Workbench.Experiments.Generation;

internal sealed class SamplingScope : IDisposable
{
    private readonly Module _model;
    private readonly bool _wasTraining;
    private readonly RngState? _rng;
    private readonly NoGrad _noGrad;

    public SamplingScope(Module model, long? seed)
    {
        _model = model;
        _wasTraining = model.Training;
        _rng = seed is null ? null : RngState.Capture();
        model.Eval();
        if (seed is { } s) Torch.Torch.ManualSeed(s);
        _noGrad = new NoGrad();
    }

    public void Dispose()
    {
        _noGrad.Dispose();
        _model.Train(_wasTraining);
        _rng?.Restore();
    }
}
