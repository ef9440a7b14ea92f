// What a sampler and the pruning rules know of one trial: its number, the parameters it was given,
// its state, its score and the values it reported on the way. The store holds these; any process that
// reads them draws the same next suggestion.
namespace Workbench.Experiments.Sweeps;

public enum TrialState { Pending, Running, Completed, Pruned, Failed }

/// <summary>
/// One trial. <see cref="Score"/> is the mean over its seeds of best/&lt;metric&gt; (set once it completed);
/// <see cref="Intermediate"/> the value it reported at each step, which pruning compares.
/// </summary>
public sealed record TrialObservation(
    int Number,
    IReadOnlyDictionary<string, object> Parameters,
    TrialState State,
    double? Score = null,
    IReadOnlyDictionary<long, double>? Intermediate = null)
{
    /// <summary><see cref="Intermediate"/>, empty when none was reported.</summary>
    public IReadOnlyDictionary<long, double> Reported => Intermediate ?? Empty;

    private static readonly IReadOnlyDictionary<long, double> Empty = new Dictionary<long, double>();
}
