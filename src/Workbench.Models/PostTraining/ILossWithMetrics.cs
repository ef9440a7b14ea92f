// What every post-training loss returns: the scalar to minimise and the figures a stage logs beside it. The
// figures stay on the device as 0-dim tensors without gradient, so a step that does not log never waits for them.
using Workbench.Torch;

namespace Workbench.Models.PostTraining;

public interface ILossWithMetrics : ITensorMetrics
{
    /// <summary>() the mean loss over the batch, with its gradient.</summary>
    Tensor Loss { get; }
}

/// <summary>Figures a post-training computation logs (a loss's, GRPO's rewards and advantages).</summary>
public interface ITensorMetrics
{
    /// <summary>Each metric's key, as TRL logs it ("accuracy", "rewards/chosen", ...), and its () value.</summary>
    IReadOnlyList<(string Key, Tensor Value)> Metrics { get; }
}

public static class LossMetrics
{
    /// <summary>The metrics' values, read back in one copy: a CPU-GPU sync point, so only on steps that log.</summary>
    public static IReadOnlyList<(string Key, double Value)> Read(this ITensorMetrics loss) => Read(loss.Metrics);

    /// <summary>Named () tensors read back in one copy, as <see cref="Read(ITensorMetrics)"/>.</summary>
    public static IReadOnlyList<(string Key, double Value)> Read(IReadOnlyList<(string Key, Tensor Value)> metrics)
    {
        using var scope = TensorScope.Begin();
        var values = Tensor.Stack(metrics.Select(m => m.Value.To(ScalarType.Float64)).ToList()).ToArray<double>();   // (M)
        return metrics.Select((m, i) => (m.Key, values[i])).ToList();
    }
}
