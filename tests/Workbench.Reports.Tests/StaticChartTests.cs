// Static charts (PNG and SVG): the size asked for, a drawn plot area, the metric and run names in the
// text, the report's smoothing and x axes, and runs that cannot be drawn refused by name.
using System.Buffers.Binary;
using System.Xml.Linq;
using SkiaSharp;

namespace Workbench.Reports.Tests;

public sealed class StaticChartTests
{
    // A straight fall from 1 to 0 over 1000 steps: it crosses the middle of the plot area.
    private static ReportRun Straight(string name, string id, string groupHash = "g-straight", long seed = 1)
    {
        var steps = Enumerable.Range(0, 101).Select(i => (long)i * 10).ToArray();
        var wall = steps.Select(s => 1_767_600_000 + s * 0.5).ToArray();
        return SampleRuns.Run(name, id: id, groupHash: groupHash, seed: seed) with
        {
            Metrics = new Dictionary<string, MetricSeriesData>
            {
                ["val/loss"] = new(steps, steps.Select(s => 1 - s / 1000.0 + 0.01 * seed).ToArray(), wall),
                ["train/loss"] = new(steps, steps.Select(s => 1.1 - s / 1000.0).ToArray(), wall),
            },
        };
    }

    private static byte[] Render(IReadOnlyList<ReportRun> runs, StaticChartOptions options, params string[] metrics) =>
        StaticChart.Render(SeedGroups.Group(runs), null, metrics.Length == 0 ? ["val/loss"] : metrics, SampleRuns.Metrics, options);

    [Theory]
    [InlineData(800, 500)]
    [InlineData(1200, 400)]
    public void A_png_has_the_asked_size_and_the_run_drawn_in_its_colour_inside_the_plot_area(int width, int height)
    {
        // Given one run whose loss falls in a straight line
        var run = Straight("straight", "str00001");

        // When it is drawn as a PNG of the asked size
        var png = Render([run], new StaticChartOptions(Width: width, Height: height));

        // Then the PNG header says that size
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
        // And the middle third of the image, inside the plot area, holds the curve in the first palette colour
        using var bitmap = SKBitmap.Decode(png);
        var blue = SKColor.Parse(ChartStyle.Palette[0]);
        var curvePixels = 0;
        for (var y = height / 3; y < 2 * height / 3; y++)
        {
            for (var x = width / 3; x < 2 * width / 3; x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                curvePixels += Math.Abs(pixel.Red - blue.Red) + Math.Abs(pixel.Green - blue.Green) + Math.Abs(pixel.Blue - blue.Blue) < 60 ? 1 : 0;
            }
        }
        Assert.True(curvePixels > width / 10, $"{curvePixels} pixels of the run's colour in the middle of the plot");
    }

    [Fact]
    public void An_svg_has_the_asked_size_and_its_text_names_the_metrics_and_the_runs()
    {
        // Given a run and a seed group of two, one with markup in its name
        var runs = new[] { Straight("plain-run", "pln00001", "g1"), Straight("a<b & c", "amp00001", "g2", 1), Straight("a<b & c", "amp00002", "g2", 2) };

        // When they are drawn as SVG with train and val loss
        var svg = System.Text.Encoding.UTF8.GetString(Render(runs, new StaticChartOptions(ChartImageFormat.Svg, Width: 640, Height: 480), "val/loss", "train/loss"));

        // Then it is well-formed XML of that size, titled by the chart, and its text names every curve
        var root = XDocument.Parse(svg).Root!;
        Assert.Equal("640", root.Attribute("width")?.Value);
        Assert.Equal("480", root.Attribute("height")?.Value);
        var text = string.Join("\n", root.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()));
        Assert.Contains("Loss", text);
        Assert.Contains("plain-run · val/loss", text);
        Assert.Contains("plain-run · train/loss", text);
        Assert.Contains("a<b & c (2 seeds) · val/loss (mean)", text);
        Assert.Contains("step", text);
    }

    [Fact]
    public void The_x_axis_and_a_log_y_axis_are_titled_as_asked()
    {
        var run = Straight("straight", "str00001");

        var svg = System.Text.Encoding.UTF8.GetString(Render([run], new StaticChartOptions(ChartImageFormat.Svg, ChartAxis.Time, Smoothing: 0.6, LogY: true)));

        var text = XDocument.Parse(svg).Root!.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToList();
        Assert.Contains("wall time (s)", text);
        Assert.Contains("Loss (log scale)", text);
    }

    [Fact]
    public void A_metric_no_run_logged_is_refused_naming_it_and_what_was_logged()
    {
        var error = Assert.Throws<ChartDataException>(() => Render([Straight("straight", "str00001")], new StaticChartOptions(), "val/acc"));

        Assert.Contains("'val/acc'", error.Message);
        Assert.Contains("train/loss, val/loss", error.Message);
    }

    [Fact]
    public void A_run_with_no_finite_point_of_the_metric_is_refused_naming_the_run()
    {
        var good = Straight("good", "good0001", "g1");
        var diverged = Straight("diverged", "nan00001", "g2") with
        {
            Metrics = new Dictionary<string, MetricSeriesData> { ["val/loss"] = new([1, 2], [double.NaN, double.PositiveInfinity], null) },
        };

        var error = Assert.Throws<ChartDataException>(() => Render([good, diverged], new StaticChartOptions()));

        Assert.Equal("run nan00001 (diverged) has no points of val/loss", error.Message);
    }

    [Theory]
    [InlineData(ChartAxis.Epoch, "it logged no 'epoch' metric")]
    [InlineData(ChartAxis.Tokens, "it logged no 'tokens' metric")]
    public void An_x_axis_a_run_did_not_log_is_refused_naming_the_run(ChartAxis axis, string expected)
    {
        var error = Assert.Throws<ChartDataException>(() => Render([Straight("straight", "str00001")], new StaticChartOptions(Axis: axis)));

        Assert.Contains("run str00001 (straight)", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_log_scale_with_no_positive_value_to_place_is_refused_naming_the_run()
    {
        var negative = Straight("negative", "neg00001") with
        {
            Metrics = new Dictionary<string, MetricSeriesData> { ["val/loss"] = new([1, 2, 3], [-1, 0, -2], null) },
        };

        var error = Assert.Throws<ChartDataException>(() => Render([negative], new StaticChartOptions(LogY: true)));

        Assert.Contains("run neg00001 (negative)", error.Message);
        Assert.Contains("log scale", error.Message);
    }

    [Fact]
    public void Smoothing_is_the_debiased_moving_average_of_the_reports_slider()
    {
        // With weight 0.5, an impulse decays as 1, 1/3, 1/7: each point is the weighted mean so far.
        var smoothed = CurveSmoothing.Ema([1, 0, 0], 0.5);

        Assert.Equal([1, 1.0 / 3, 1.0 / 7], smoothed, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Same(smoothed, CurveSmoothing.Ema(smoothed, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CurveSmoothing.Ema([1], 1));
    }

    [Fact]
    public void A_step_maps_onto_another_axis_between_logged_points_and_clamps_outside_them()
    {
        var map = new StepMap([10, 20, 40], [1, 2, 6]);

        Assert.Equal(1.5, map.At(15));
        Assert.Equal(4, map.At(30));
        Assert.Equal(1, map.At(0));
        Assert.Equal(6, map.At(100));
    }

    [Fact]
    public void The_extension_chooses_the_format_and_any_other_is_none()
    {
        Assert.Equal(ChartImageFormat.Png, ChartImageFormats.OfPath("out/loss.PNG"));
        Assert.Equal(ChartImageFormat.Svg, ChartImageFormats.OfPath("loss.svg"));
        Assert.Null(ChartImageFormats.OfPath("loss.jpg"));
        Assert.Null(ChartImageFormats.OfPath("loss"));
    }
}
