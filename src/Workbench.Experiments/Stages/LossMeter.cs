// The running mean of the batch loss since the last log line (train/loss); checkpointed so a resumed
// run logs exactly what the uninterrupted one would.
namespace Workbench.Experiments.Stages;

public sealed class LossMeter
{
    public double Sum { get; private set; }
    public long Count { get; private set; }

    public void Add(double loss)
    {
        Sum += loss;
        Count++;
    }

    public void Restore(double sum, long count) => (Sum, Count) = (sum, count);

    /// <summary>The mean since the last call, then starts over.</summary>
    public double TakeMean()
    {
        var mean = Count == 0 ? double.NaN : Sum / Count;
        (Sum, Count) = (0, 0);
        return mean;
    }
}
