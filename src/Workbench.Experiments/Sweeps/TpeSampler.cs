// TPE as Optuna's TPESampler defines it (independent sampling, its default): the first 10 trials are
// random; after that the finished trials are split into the best gamma(n) = min(ceil(0.1 n), 25) (the
// "good" ones) and the rest, a Parzen estimator is fitted to each for every parameter, 24 candidates
// are drawn from the good one, and the candidate with the largest log l(x) - log g(x) is taken.
// Completed trials rank by score; pruned ones come after them, those that ran further first. Trials in
// flight (pending or running) join the rest: the constant liar, which counts them as the worst score
// so that parallel workers do not all pile onto the same point.
using Workbench.Data;
using Workbench.Tracking;

namespace Workbench.Experiments.Sweeps;

internal sealed class TpeSampler(IReadOnlyList<SweepParameter> parameters, long seed, MetricGoal goal) : ISweepSampler
{
    public const int StartupTrials = 10;
    public const int Candidates = 24;

    private readonly IReadOnlyList<ParameterSpace> _spaces = parameters.Select(ParameterSpace.Of).ToList();

    /// <summary>How many of <paramref name="finished"/> trials model the good region: min(ceil(0.1 n), 25).</summary>
    public static int Gamma(int finished) => Math.Min((int)Math.Ceiling(0.1 * finished), 25);

    public IReadOnlyDictionary<string, object>? Suggest(IReadOnlyList<TrialObservation> trials, int trialNumber)
    {
        var rng = RandomSampler.ForTrial(seed, trialNumber);
        var others = trials.Where(t => t.Number != trialNumber).ToList();
        var finished = others.Count(IsFinished);
        if (finished < StartupTrials) return RandomSampler.Draw(parameters, rng);

        var (good, rest) = Split(others, goal);
        return _spaces.ToDictionary(s => s.Parameter.Path, s => s.External(Choose(s, good, rest, rng)));
    }

    /// <summary>The good trials and the rest, each ordered by trial number (kernel weights ramp by age).</summary>
    internal static (List<TrialObservation> Good, List<TrialObservation> Others) Split(IReadOnlyList<TrialObservation> trials, MetricGoal goal)
    {
        var completed = trials.Where(t => t.State == TrialState.Completed && IsFinished(t))
            .OrderBy(t => ScoreOrder.Key(t.Score!.Value, goal)).ToList();
        // Pruned: further is better; at the same step, the better last value.
        var pruned = trials.Where(t => t.State == TrialState.Pruned)
            .OrderBy(t => t.Reported.Count == 0 ? 1 : -t.Reported.Keys.Max())
            .ThenBy(t => t.Reported.Count == 0 ? 0 : ScoreOrder.Key(t.Reported[t.Reported.Keys.Max()], goal)).ToList();
        var inFlight = trials.Where(t => t.State is TrialState.Running or TrialState.Pending);

        var n = Gamma(completed.Count + pruned.Count);
        var fromCompleted = Math.Min(n, completed.Count);
        var fromPruned = Math.Min(n - fromCompleted, pruned.Count);
        var good = completed.Take(fromCompleted).Concat(pruned.Take(fromPruned)).OrderBy(t => t.Number).ToList();
        var rest = completed.Skip(fromCompleted).Concat(pruned.Skip(fromPruned)).Concat(inFlight).OrderBy(t => t.Number).ToList();
        return (good, rest);
    }

    private double Choose(ParameterSpace space, List<TrialObservation> good, List<TrialObservation> rest, SplitMix64 rng)
    {
        var below = ParzenEstimator.Fit(space, Observations(space, good));
        var above = ParzenEstimator.Fit(space, Observations(space, rest));
        var best = double.NaN;
        var bestGain = double.NegativeInfinity;
        for (var i = 0; i < Candidates; i++)
        {
            var x = below.Sample(rng);
            var gain = below.LogPdf(x) - above.LogPdf(x);
            if (double.IsNaN(best) || gain > bestGain) (best, bestGain) = (x, gain);
        }
        return best;
    }

    private static List<double> Observations(ParameterSpace space, List<TrialObservation> trials) =>
        trials.Select(t => t.Parameters.TryGetValue(space.Parameter.Path, out var v) ? space.Internal(v) : null)
              .Where(x => x is not null).Select(x => x!.Value).ToList();

    // What Optuna counts as finished: completed with a score, or pruned.
    private static bool IsFinished(TrialObservation t) => t.State == TrialState.Completed && t.Score is not null || t.State == TrialState.Pruned;
}
