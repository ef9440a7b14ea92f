// A sweep's parameter importance (ParameterImportance in Reports) from its completed trials: each value
// on the scale the sampler draws it on (a log-uniform one in logarithms, a listed value by its index), over
// the parameter's whole declared range, so a parameter matters by what it does across the search space.
using System.Globalization;
using Workbench.Reports;
using Workbench.Tracking;

namespace Workbench.Experiments.Sweeps;

public static class SweepImportance
{
    /// <summary>Fewer completed trials than this give no importance: two points explain anything.</summary>
    public const int MinimumTrials = 3;

    /// <summary>Importance over the completed trials with a finite score (pruned trials stopped early and would mislead it).</summary>
    public static ImportanceTable Of(SweepDefinition definition, IReadOnlyList<TrialRecord> trials)
    {
        var spaces = definition.Parameters.Select(ParameterSpace.Of).ToList();
        var rows = new List<double[]>();
        var targets = new List<double>();
        foreach (var trial in trials.Where(t => t.Status == TrialStatus.Completed && t.Score is { } s && double.IsFinite(s)).OrderBy(t => t.Number))
        {
            var parameters = SweepTrials.Parameters(trial.ParametersJson);
            var row = spaces.Select(s => parameters.TryGetValue(s.Parameter.Path, out var v) ? s.Internal(v) : null).ToList();
            if (row.Any(v => v is null)) continue;   // not a point of this search space
            rows.Add(row.Select(v => v!.Value).ToArray());
            targets.Add(trial.Score!.Value);
        }
        if (rows.Count < MinimumTrials)
            return new ImportanceTable(rows.Count, null,
                $"not enough trials: {rows.Count.ToString(CultureInfo.InvariantCulture)} completed, {MinimumTrials} needed");
        if (targets.All(t => t == targets[0]))
            return new ImportanceTable(rows.Count, null, $"the metric did not vary over the {rows.Count.ToString(CultureInfo.InvariantCulture)} completed trials");
        var shares = ParameterImportance.Of(rows, spaces.Select(Bounds).ToList(), targets, seed: (int)(definition.Seed & int.MaxValue));
        return new ImportanceTable(rows.Count, spaces.Select((s, i) => new ParameterShare(s.Parameter.Path, shares[i])).ToList(), null);
    }

    // An integer owns [x - 1/2, x + 1/2] and a category its index's unit, as the samplers see them.
    private static (double Low, double High) Bounds(ParameterSpace space) =>
        space.IsCategorical ? (-0.5, space.Choices - 0.5)
        : space.Step > 0 ? (space.Low - 0.5, space.High + 0.5)
        : (space.Low, space.High);
}
