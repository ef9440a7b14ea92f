// Mean train-step time, leaving out the first steps (allocator and cache warm-up) and evaluation.
namespace Workbench.Experiments.Stages;

public sealed class StepTiming(int skipFirst)
{
    private long _seen;
    private double _totalMs;
    private long _counted;

    public void Add(TimeSpan elapsed)
    {
        if (++_seen <= skipFirst) return;
        _totalMs += elapsed.TotalMilliseconds;
        _counted++;
    }

    /// <summary>Null until a step past the warm-up has been timed.</summary>
    public double? MeanMs => _counted == 0 ? null : _totalMs / _counted;
}
