// A validated sweep file: which spec it searches, how (grid, random, tpe), over which spec keys, by
// which metric, within which budget, and how trials are stopped early. SweepLoader builds it; every
// value it can suggest has already passed the spec's own validation.
using System.Globalization;
using Workbench.Tracking;

namespace Workbench.Experiments.Sweeps;

public enum SweepMethod { Grid, Random, Tpe }

/// <summary>
/// A sweep. <see cref="SpecPath"/> is the base spec (resolved relative to the sweep file), <see cref="Set"/>
/// the sweep's own `set:` as `--set` assignments, <see cref="Seeds"/> the seeds every trial runs, and
/// <see cref="Seed"/> the sampler's seed. <see cref="ContentHash"/> (lowercase hex SHA-256) covers the sweep
/// file's bytes and the base spec as resolved, so the same file resumes its sweep and a changed base spec
/// starts a new one.
/// </summary>
public sealed record SweepDefinition(
    string SourcePath,
    string SpecPath,
    IReadOnlyList<string> Set,
    SweepMethod Method,
    SweepMetric Metric,
    IReadOnlyList<SweepParameter> Parameters,
    IReadOnlyList<long> Seeds,
    SweepBudget Budget,
    EarlyTerminate? EarlyTerminate,
    int Retries,
    long Seed,
    string ContentHash)
{
    /// <summary>
    /// The `--set` assignments that make one run of a trial from <see cref="SpecPath"/>: the sweep's `set:`,
    /// its metric, the trial's parameters and the seed. SpecLoader.Load(SpecPath, these) gives the run's spec.
    /// </summary>
    public IReadOnlyList<string> TrialOverrides(IReadOnlyDictionary<string, object> parameters, long seed) =>
    [
        .. Set,
        $"metric={{name: {SweepValue.Format(Metric.Name)}, goal: {Metric.Goal.ToName()}}}",
        .. Parameters.Select(p => $"{p.Path}={SweepValue.Format(parameters[p.Path])}"),
        $"seed={seed.ToString(CultureInfo.InvariantCulture)}",
    ];

    /// <summary>The number of grid points (the product of the value lists); null unless every parameter lists values.</summary>
    public long? GridSize => Parameters.All(p => p.Kind == ParameterKind.Values)
        ? Parameters.Aggregate(1L, (n, p) => checked(n * p.Values!.Count))
        : null;
}

/// <summary>The metric trials are ranked by: a trial scores the mean over its seeds of best/&lt;Name&gt;.</summary>
public sealed record SweepMetric(string Name, MetricGoal Goal);

public enum ParameterKind { Values, Uniform, LogUniform, IntUniform }

/// <summary>
/// One swept spec key. <see cref="Values"/> is set for <see cref="ParameterKind.Values"/> (long, double, bool,
/// string, or a list of those for a list key); <see cref="Min"/> and <see cref="Max"/> for the distributions
/// (integers for int_uniform, both ends included).
/// </summary>
public sealed record SweepParameter(string Path, ParameterKind Kind, IReadOnlyList<object>? Values, double Min, double Max);

/// <summary>When a sweep stops starting trials: after <see cref="Trials"/> trials, <see cref="Hours"/> hours, or at the clock time <see cref="Until"/>.</summary>
public sealed record SweepBudget(int? Trials, double? Hours, TimeOnly? Until);

public enum PruningRule { Asha, Median }

/// <summary>
/// How trials stop early. ASHA: rungs at MinSteps * ReductionFactor^k, where a trial goes on only in the top
/// 1/ReductionFactor of the values seen at that rung. Median: from MinSteps on, a trial worse than the
/// median of the other trials at the same step stops (ReductionFactor unused).
/// </summary>
public sealed record EarlyTerminate(PruningRule Type, long MinSteps, int ReductionFactor);
