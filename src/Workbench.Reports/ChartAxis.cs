// The x axes a chart can be drawn against: the step, or what a run logged to map steps onto.
namespace Workbench.Reports;

public enum ChartAxis
{
    Step,
    /// <summary>Wall-clock seconds since the run's first logged point.</summary>
    Time,
    /// <summary>The run's logged `epoch` metric: fractional passes over the training split.</summary>
    Epoch,
    /// <summary>The run's logged `tokens` metric: tokens seen so far.</summary>
    Tokens,
}

public static class ChartAxes
{
    public static readonly IReadOnlyList<ChartAxis> All = Enum.GetValues<ChartAxis>();

    /// <summary>The axis's name on the command line (`--x time`) and in the report's data.</summary>
    public static string Key(this ChartAxis axis) => axis.ToString().ToLowerInvariant();

    /// <summary>The axis's title under a chart.</summary>
    public static string Title(this ChartAxis axis) => axis switch
    {
        ChartAxis.Time => "wall time (s)",
        _ => axis.Key(),
    };

    /// <summary>The axis a key names, or null for a key that names none.</summary>
    public static ChartAxis? Parse(string key) => All.Cast<ChartAxis?>().FirstOrDefault(a => a!.Value.Key() == key);

    /// <summary>The logged metric an axis reads its x values from; null for step and time, which every run has.</summary>
    public static string? Metric(this ChartAxis axis) => axis switch
    {
        ChartAxis.Epoch => "epoch",
        ChartAxis.Tokens => "tokens",
        _ => null,
    };
}
