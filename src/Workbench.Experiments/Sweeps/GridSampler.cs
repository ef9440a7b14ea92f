// Grid search: trial n takes the n-th point of the product of the value lists (the last parameter
// varies fastest), so trials 0..N-1 cover the grid exactly once, in the same order on every machine.
namespace Workbench.Experiments.Sweeps;

internal sealed class GridSampler(IReadOnlyList<SweepParameter> parameters) : ISweepSampler
{
    private readonly long _size = parameters.Aggregate(1L, (n, p) => checked(n * p.Values!.Count));

    public IReadOnlyDictionary<string, object>? Suggest(IReadOnlyList<TrialObservation> trials, int trialNumber)
    {
        if (trialNumber < 0 || trialNumber >= _size) return null;
        var point = new object[parameters.Count];
        long rest = trialNumber;
        for (var i = parameters.Count - 1; i >= 0; i--)
        {
            var values = parameters[i].Values!;
            point[i] = values[(int)(rest % values.Count)];
            rest /= values.Count;
        }
        return parameters.Select((p, i) => (p.Path, point[i])).ToDictionary(x => x.Path, x => x.Item2);
    }
}
