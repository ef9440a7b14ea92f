// How a report's curves look, for the HTML charts (which read it from the embedded data) and the
// static PNG/SVG charts alike: one run keeps one colour wherever it is drawn.
namespace Workbench.Reports;

public static class ChartStyle
{
    /// <summary>The baseline is black and drawn thicker than the runs compared with it.</summary>
    public const string BaselineColour = "#000000";

    public const double LineWidth = 1.5;
    public const double BaselineLineWidth = 2.5;

    /// <summary>Opacity of the raw curve behind a smoothed one, and of a seed group's min-max band and its edges.</summary>
    public const double RawAlpha = 0.25, BandAlpha = 0.12, BandEdgeAlpha = 0.3;

    /// <summary>Matplotlib's ten "tab" colours: distinct at a glance and in print.</summary>
    public static readonly IReadOnlyList<string> Palette =
        ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"];

    /// <summary>
    /// Dash patterns (on, off, ... in pixels) by a metric's place in its chart: the first solid, then
    /// dashed, dotted, dash-dot, so train and val of one run share a colour and differ in stroke.
    /// </summary>
    public static readonly IReadOnlyList<IReadOnlyList<float>> Dashes = [[], [7, 4], [2, 3], [10, 3, 2, 3]];

    /// <summary>
    /// The colour of each entity (a run or seed group) in drawing order: the baseline black, the others
    /// through the palette in order, skipping the baseline so the first compared run is always blue.
    /// </summary>
    public static IReadOnlyList<string> Colours(IReadOnlyList<bool> isBaseline)
    {
        var colours = new string[isBaseline.Count];
        var others = 0;
        for (var e = 0; e < colours.Length; e++)
        {
            colours[e] = isBaseline[e] ? BaselineColour : Palette[others++ % Palette.Count];
        }
        return colours;
    }

    /// <summary>The dash pattern of the metric at <paramref name="index"/> among its chart's metrics.</summary>
    public static IReadOnlyList<float> Dash(int index) => Dashes[index % Dashes.Count];

    /// <summary>How a curve is named in a legend: `run · val/loss`, with `(mean)` for a seed group's mean.</summary>
    public static string Label(SeedGroup group, string metric) =>
        $"{group.Label} · {metric}" + (group.IsSeedGroup ? " (mean)" : "");
}
