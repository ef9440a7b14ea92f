// Early termination of a sweep's trials, decided by each trial from the values the other trials
// stored, so no controller is needed. ASHA (asynchronous successive halving, Li et al. 2020): at the
// rungs min_steps * reduction_factor^k a trial goes on only if its value is in the top
// 1/reduction_factor of the values recorded at that rung so far. Median: from min_steps on, a trial
// whose value is worse than the median of the other trials' values at the same step stops.
using Workbench.Tracking;

namespace Workbench.Experiments.Sweeps;

public static class SweepPruning
{
    /// <summary>
    /// Whether trial <paramref name="trialNumber"/>, reporting <paramref name="value"/> at <paramref name="step"/>,
    /// should stop. <paramref name="trials"/> are the sweep's trials as stored (this one's own entry is ignored).
    /// A NaN value is pruned wherever the rule compares.
    /// </summary>
    public static bool ShouldPrune(EarlyTerminate rule, IReadOnlyList<TrialObservation> trials, int trialNumber, long step, double value, MetricGoal goal)
    {
        var compares = rule.Type == PruningRule.Asha ? IsRung(rule, step) : step >= rule.MinSteps;
        if (!compares) return false;
        if (double.IsNaN(value)) return true;
        var others = trials
            .Where(t => t.Number != trialNumber && t.Reported.ContainsKey(step))
            .Select(t => t.Reported[step])
            .ToList();
        return rule.Type == PruningRule.Asha ? !Promotable(others, value, rule.ReductionFactor, goal) : BelowMedian(others, value, goal);
    }

    /// <summary>
    /// The ASHA rungs up to <paramref name="maxSteps"/>: the steps a trial must report its value at. Empty for
    /// median, which compares at every step a trial reports from min_steps on.
    /// </summary>
    public static IReadOnlyList<long> RungSteps(EarlyTerminate rule, long maxSteps)
    {
        var rungs = new List<long>();
        if (rule.Type != PruningRule.Asha) return rungs;
        for (var step = rule.MinSteps; step <= maxSteps; step = step > long.MaxValue / rule.ReductionFactor ? long.MaxValue : step * rule.ReductionFactor)
        {
            rungs.Add(step);
            if (step == long.MaxValue) break;
        }
        return rungs;
    }

    private static bool IsRung(EarlyTerminate rule, long step)
    {
        if (step < rule.MinSteps || step % rule.MinSteps != 0) return false;
        var multiple = step / rule.MinSteps;
        while (multiple % rule.ReductionFactor == 0) multiple /= rule.ReductionFactor;
        return multiple == 1;
    }

    // Among the values at the rung (this one included), ranked best first, the trial goes on if it is no worse
    // than the value at place n / factor. With fewer than `factor` values that place is the first: a trial that
    // reaches a rung early goes on only as the best so far, since a trial once stopped is never resumed.
    private static bool Promotable(List<double> others, double value, int factor, MetricGoal goal)
    {
        var ranked = others.Append(value).Select(v => ScoreOrder.Key(v, goal)).OrderBy(v => v).ToList();
        var place = Math.Max(ranked.Count / factor - 1, 0);
        return ScoreOrder.Key(value, goal) <= ranked[place];
    }

    private static bool BelowMedian(List<double> others, double value, MetricGoal goal)
    {
        var known = others.Where(v => !double.IsNaN(v)).Select(v => ScoreOrder.Key(v, goal)).OrderBy(v => v).ToList();
        if (known.Count == 0) return false;
        var mid = known.Count / 2;
        var median = known.Count % 2 == 1 ? known[mid] : (known[mid - 1] + known[mid]) / 2;
        return ScoreOrder.Key(value, goal) > median;
    }
}
