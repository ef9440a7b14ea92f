// Suggests the parameters of the next trial from the trials stored so far. A sampler holds no state of
// its own: its draws are seeded by (sweep seed, trial number), so every process reading the same
// stored trials suggests the same parameters, and a resumed sweep goes on where it stopped.
namespace Workbench.Experiments.Sweeps;

public interface ISweepSampler
{
    /// <summary>
    /// The parameters (spec path to value) for trial <paramref name="trialNumber"/>, or null when the search
    /// space is exhausted (a grid whose every point has a trial).
    /// </summary>
    IReadOnlyDictionary<string, object>? Suggest(IReadOnlyList<TrialObservation> trials, int trialNumber);
}

public static class SweepSampler
{
    public static ISweepSampler Create(SweepDefinition sweep) => sweep.Method switch
    {
        SweepMethod.Grid => new GridSampler(sweep.Parameters),
        SweepMethod.Random => new RandomSampler(sweep.Parameters, sweep.Seed),
        SweepMethod.Tpe => new TpeSampler(sweep.Parameters, sweep.Seed, sweep.Metric.Goal),
        _ => throw new ArgumentOutOfRangeException(nameof(sweep), sweep.Method, "unknown sweep method"),
    };
}
