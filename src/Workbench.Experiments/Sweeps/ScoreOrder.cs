// One scale to rank a metric's values on, whichever its goal: lower is better, NaN is the worst.
using Workbench.Tracking;

namespace Workbench.Experiments.Sweeps;

internal static class ScoreOrder
{
    public static double Key(double value, MetricGoal goal) =>
        double.IsNaN(value) ? double.PositiveInfinity : goal == MetricGoal.Max ? -value : value;
}
