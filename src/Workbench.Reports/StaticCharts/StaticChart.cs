// A chart as a PNG or SVG file (ScottPlot over SkiaSharp): the report's curves, colours, dashes,
// smoothing and legend labels, for papers, slides, READMEs and machines without a browser.
using ScottPlot;
using Workbench.Tracking;

namespace Workbench.Reports;

public static class StaticChart
{
    // ScottPlot's own choice of a sans face on Linux settles on DejaVu Serif; setup installs DejaVu Sans.
    private const string Font = "DejaVu Sans";

    /// <summary>
    /// One image of <paramref name="metrics"/> for every seed group (a run alone is a group of one):
    /// the same curves the HTML report draws (<see cref="ChartCurves"/>), styled by <see cref="ChartStyle"/>.
    /// Throws <see cref="ChartDataException"/> when a metric was logged by no run or a run lacks the x
    /// axis asked for; and, when <see cref="StaticChartOptions.RequireEveryRun"/>, when a run has no
    /// point of them to draw.
    /// </summary>
    public static byte[] Render(
        IReadOnlyList<SeedGroup> groups, SeedGroup? baselineGroup, IReadOnlyList<string> metrics, MetricCatalog catalog, StaticChartOptions options)
    {
        if (groups.Count == 0 || metrics.Count == 0)
        {
            throw new ArgumentException("a chart needs at least one run and one metric");
        }
        Check(groups, metrics, options);
        var title = Title(metrics, catalog);
        using var plot = new Plot();
        plot.Font.Set(Fonts.GetTypeface(Font, bold: false, italic: false)?.FamilyName == Font ? Font : Fonts.Sans);
        plot.Title(title);
        plot.XLabel(options.Axis.Title());
        plot.YLabel(options.LogY ? $"{title} (log scale)" : title);

        var colours = ChartStyle.Colours(groups.Select(g => ReferenceEquals(g, baselineGroup)).ToList());
        for (var e = 0; e < groups.Count; e++)
        {
            var drawn = false;
            for (var m = 0; m < metrics.Count; m++)
            {
                if (ChartCurves.Of(e, metrics[m], groups[e]) is { } curve)
                {
                    drawn |= Draw(plot, curve, groups[e], Color.FromHex(colours[e]), ReferenceEquals(groups[e], baselineGroup), ChartStyle.Dash(m), options);
                }
            }
            if (!drawn && options.RequireEveryRun)
            {
                throw new ChartDataException($"{Describe(groups[e])} has no positive value of {string.Join(", ", metrics)} to draw on a log scale");
            }
        }
        if (options.LogY)
        {
            LogTicks(plot);
        }
        plot.ShowLegend(Edge.Bottom);
        return options.Format switch
        {
            ChartImageFormat.Svg => System.Text.Encoding.UTF8.GetBytes(plot.GetSvgXml(options.Width, options.Height)),
            _ => plot.GetImageBytes(options.Width, options.Height, ImageFormat.Png),
        };
    }

    /// <summary>The chart's title: the catalog's chart when the metrics share one (`Loss`), else the metrics themselves.</summary>
    public static string Title(IReadOnlyList<string> metrics, MetricCatalog catalog)
    {
        var charts = metrics.Select(m => catalog.OfKey(m)?.Chart).Distinct().ToList();
        return charts is [{ } chart] ? chart : string.Join(", ", metrics);
    }

    // Refuses what cannot be drawn before anything is: naming the metric, or the run and what it lacks.
    private static void Check(IReadOnlyList<SeedGroup> groups, IReadOnlyList<string> metrics, StaticChartOptions options)
    {
        var runs = groups.SelectMany(g => g.Runs).ToList();
        foreach (var metric in metrics.Where(m => !runs.Any(r => r.Metrics.ContainsKey(m))))
        {
            var logged = runs.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal);
            throw new ChartDataException($"no run logged the metric '{metric}'; they logged: {string.Join(", ", logged)}");
        }
        foreach (var run in runs)
        {
            if (options.RequireEveryRun && !metrics.Any(m => run.Metrics.TryGetValue(m, out var series) && series.Values.Any(double.IsFinite)))
            {
                throw new ChartDataException($"run {run.Id} ({run.Name}) has no points of {string.Join(", ", metrics)}");
            }
            if (options.Axis != ChartAxis.Step && ChartCurves.Map(run, options.Axis) is null)
            {
                throw new ChartDataException(options.Axis.Metric() is { } metric
                    ? $"run {run.Id} ({run.Name}) cannot be drawn against {options.Axis.Key()}: it logged no '{metric}' metric"
                    : $"run {run.Id} ({run.Name}) cannot be drawn against {options.Axis.Key()}: its points have no wall-clock times");
            }
        }
    }

    // The curve (smoothed as asked, the raw one faint behind it) and a seed group's band; false when a log
    // scale left no point of it.
    private static bool Draw(Plot plot, ChartCurve curve, SeedGroup group, Color colour, bool isBaseline, IReadOnlyList<float> dash, StaticChartOptions options)
    {
        // Seeds of one group share the spec, so the first run's step-to-x map serves them all (as in the report).
        var map = options.Axis == ChartAxis.Step ? null : ChartCurves.Map(group.Runs[0], options.Axis)!;
        var x = map is null ? curve.Steps : Array.ConvertAll(curve.Steps, map.At);
        if (curve.Low is not null && curve.High is not null && OnScale(x, curve.Low, curve.High, options.LogY) is { X.Length: > 0 } band)
        {
            var fill = plot.Add.FillY(band.X, band.Y, band.Y2);
            fill.FillColor = colour.WithOpacity(ChartStyle.BandAlpha);
            fill.LineWidth = 0;
        }
        if (options.Smoothing > 0 && OnScale(x, curve.Values, null, options.LogY) is { X.Length: > 0 } raw)
        {
            var faint = plot.Add.ScatterLine(raw.X, raw.Y, colour.WithOpacity(ChartStyle.RawAlpha));
            faint.LineWidth = 1;
        }
        var main = OnScale(x, CurveSmoothing.Ema(curve.Values, options.Smoothing), null, options.LogY);
        if (main.X.Length == 0)
        {
            return false;
        }
        var line = plot.Add.ScatterLine(main.X, main.Y, colour);
        line.LineWidth = (float)(isBaseline ? ChartStyle.BaselineLineWidth : ChartStyle.LineWidth);
        line.LinePattern = dash.Count == 0 ? LinePattern.Solid : new LinePattern([.. dash], 0, "report");
        line.LegendText = ChartStyle.Label(group, curve.Metric);
        return true;
    }

    // ScottPlot has no log axis: a log scale draws log10 of the values and labels the ticks with 10^tick.
    // Points a log scale cannot place (zero, negative) are left out, as the report leaves them out.
    private static (double[] X, double[] Y, double[] Y2) OnScale(double[] x, double[] y, double[]? y2, bool log)
    {
        if (!log)
        {
            return (x, y, y2 ?? y);
        }
        var kept = Enumerable.Range(0, x.Length).Where(i => y[i] > 0 && (y2 is null || y2[i] > 0)).ToArray();
        return (ChartCurves.Pick(x, kept), kept.Select(i => Math.Log10(y[i])).ToArray(), kept.Select(i => Math.Log10((y2 ?? y)[i])).ToArray());
    }

    // Ticks at round values of the log axis: 1, 2 and 5 times each power of ten in view; decades alone
    // when those would crowd the axis, every digit when they would leave it nearly bare.
    private static void LogTicks(Plot plot)
    {
        plot.Axes.AutoScale();
        var (low, high) = (plot.Axes.GetLimits().Bottom, plot.Axes.GetLimits().Top);
        double[][] mantissas = [[1, 2, 5], [1], [1, 2, 3, 4, 5, 6, 7, 8, 9]];
        var candidates = mantissas.Select(set => Enumerable.Range((int)Math.Floor(low), (int)Math.Ceiling(high) - (int)Math.Floor(low) + 1)
                .SelectMany(power => set.Select(m => m * Math.Pow(10, power)))
                .Where(value => Math.Log10(value) >= low && Math.Log10(value) <= high)
                .ToList())
            .ToList();
        var values = candidates[0].Count > 10 ? candidates[1] : candidates[0].Count < 3 ? candidates[2] : candidates[0];
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var value in values)
        {
            ticks.AddMajor(Math.Log10(value), ReportNumbers.Display(value));
        }
        plot.Axes.Left.TickGenerator = ticks;
    }

    private static string Describe(SeedGroup group) =>
        group.IsSeedGroup ? $"the seed group {group.Label}" : $"run {group.Runs[0].Id} ({group.Runs[0].Name})";
}
