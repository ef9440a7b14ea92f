// Random search: each parameter drawn independently, uniformly over its values or its range (a log
// range uniformly in the logarithm), from a generator seeded by (sweep seed, trial number) alone.
using Workbench.Data;

namespace Workbench.Experiments.Sweeps;

internal sealed class RandomSampler(IReadOnlyList<SweepParameter> parameters, long seed) : ISweepSampler
{
    public IReadOnlyDictionary<string, object>? Suggest(IReadOnlyList<TrialObservation> trials, int trialNumber) =>
        Draw(parameters, ForTrial(seed, trialNumber));

    /// <summary>
    /// The generator of one trial's draws: the sweep seed and the trial number each mixed by a SplitMix64
    /// step, so neighbouring trials do not get shifted copies of one stream.
    /// </summary>
    public static SplitMix64 ForTrial(long seed, int trialNumber)
    {
        var fromSeed = new SplitMix64(unchecked((ulong)seed)).Next();
        var fromTrial = new SplitMix64(unchecked((ulong)trialNumber) ^ 0xD1B54A32D192ED03UL).Next();
        return new SplitMix64(fromSeed ^ fromTrial);
    }

    public static Dictionary<string, object> Draw(IReadOnlyList<SweepParameter> parameters, SplitMix64 rng) =>
        parameters.ToDictionary(p => p.Path, p => Draw(p, rng));

    private static object Draw(SweepParameter p, SplitMix64 rng) => p.Kind switch
    {
        ParameterKind.Values => p.Values![rng.NextInt(p.Values.Count)],
        ParameterKind.Uniform => p.Min + rng.NextDouble() * (p.Max - p.Min),
        ParameterKind.LogUniform => Math.Clamp(Math.Exp(Math.Log(p.Min) + rng.NextDouble() * (Math.Log(p.Max) - Math.Log(p.Min))), p.Min, p.Max),
        ParameterKind.IntUniform => (long)Math.Min(p.Max, Math.Floor(p.Min + rng.NextDouble() * (p.Max - p.Min + 1))),
        _ => throw new ArgumentOutOfRangeException(nameof(p), p.Kind, "unknown parameter kind"),
    };
}
