// How a static chart is drawn: what `workbench plot` takes as options, with the report's defaults.
namespace Workbench.Reports;

/// <summary>
/// The x axis, the smoothing weight (the report's slider, in [0, 1)), a log y axis, and the image's
/// size in pixels, which for SVG is its width and height attributes. <see cref="RequireEveryRun"/>
/// refuses a chart in which a run would be missing (a plot the user asked for); a summary's charts
/// leave out a run that did not log a chart's metrics instead.
/// </summary>
public sealed record StaticChartOptions(
    ChartImageFormat Format = ChartImageFormat.Png,
    ChartAxis Axis = ChartAxis.Step,
    double Smoothing = 0,
    bool LogY = false,
    int Width = StaticChartOptions.DefaultWidth,
    int Height = StaticChartOptions.DefaultHeight,
    bool RequireEveryRun = true)
{
    public const int DefaultWidth = 800, DefaultHeight = 500;

    /// <summary>The smallest and largest side an image may have: below 100 pixels nothing is legible.</summary>
    public const int MinSide = 100, MaxSide = 10_000;
}
