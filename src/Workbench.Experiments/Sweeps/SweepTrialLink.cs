// The sweep trial a run trains one seed of: `workbench run SPEC ... --sweep-trial ID:N[:prune]`, which
// only sweep and agent write. The run records itself on the trial, and the trial's first seed reports
// its metric at the rungs and may be pruned there (later seeds of a trial that went on run in full).
using System.Globalization;
using Workbench.Experiments.Training;
using Workbench.Tracking;

namespace Workbench.Experiments.Sweeps;

public sealed record SweepTrialLink(string SweepId, int Number, bool Prunes)
{
    private const string PruneSuffix = ":prune";

    public override string ToString() =>
        $"{SweepId}:{Number.ToString(CultureInfo.InvariantCulture)}{(Prunes ? PruneSuffix : "")}";

    /// <summary>Reads <see cref="ToString"/>'s text; null when it is not one.</summary>
    public static SweepTrialLink? TryParse(string text)
    {
        var prunes = text.EndsWith(PruneSuffix, StringComparison.Ordinal);
        var parts = (prunes ? text[..^PruneSuffix.Length] : text).Split(':');
        return parts is [var sweep, var number] && sweep.Length > 0
            && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? new SweepTrialLink(sweep, n, prunes)
                : null;
    }

    /// <summary>The trial's pruning rule, reporting to <paramref name="store"/>; null when this seed does not prune or the sweep has no rule.</summary>
    public ITrialPruning? CreatePruning(RunStore store)
    {
        var sweep = SweepDefinitionJson.Read(store.GetSweep(SweepId).DefinitionJson);
        return Prunes && sweep.EarlyTerminate is { } rule ? new TrialPruner(store, this, rule, sweep.Metric.Goal) : null;
    }
}
