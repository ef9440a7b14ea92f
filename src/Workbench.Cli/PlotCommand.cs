// `workbench plot RUN... [--metric KEY]... [--x step|epoch|tokens|time] [--smooth W] [--log-y] [--size WxH]
// --out FILE.png|FILE.svg`: the report's curves as one static image, for papers, slides, READMEs and
// machines without a browser.
using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Workbench.Experiments.Catalog;
using Workbench.Experiments.Runs;
using Workbench.Reports;
using Workbench.Torch;

namespace Workbench.Cli;

internal static partial class PlotCommand
{
    public static Command Create()
    {
        var runs = new Argument<string[]>("runs") { Description = "run references", Arity = ArgumentArity.OneOrMore };
        var metrics = new Option<string[]>("--metric")
        {
            Description = "a logged metric to draw; repeat for several (default: the first run's metric and its train/ counterpart)",
        };
        var axis = new Option<string>("--x") { Description = "the x axis", DefaultValueFactory = _ => ChartAxis.Step.Key() };
        axis.AcceptOnlyFromAmong(ChartAxes.All.Select(a => a.Key()).ToArray());
        var smooth = new Option<double>("--smooth") { Description = "smoothing weight in [0, 1), as the report's slider" };
        var logY = new Option<bool>("--log-y") { Description = "a logarithmic y axis" };
        var size = new Option<string>("--size")
        {
            Description = "the image's size in pixels, for PNG and SVG alike",
            DefaultValueFactory = _ => $"{StaticChartOptions.DefaultWidth}x{StaticChartOptions.DefaultHeight}",
        };
        var output = new Option<string>("--out") { Description = "the image to write: FILE.png or FILE.svg", Required = true };
        var command = new Command("plot", "draw runs' curves as a PNG or SVG image") { runs, metrics, axis, smooth, logY, size, output };
        command.SetAction(parse => Commands.Guard(() =>
        {
            // Everything the arguments alone can get wrong is refused before the run store is read.
            var path = parse.GetValue(output)!;
            var format = ChartImageFormats.OfPath(path)
                ?? throw new UserError($"--out {path}: the image's extension must be .png or .svg");
            var (width, height) = Size(parse.GetValue(size)!);
            var weight = parse.GetValue(smooth);
            if (!(weight is >= 0 and < 1))
                throw new UserError($"--smooth {weight.ToString(CultureInfo.InvariantCulture)}: the smoothing weight must be at least 0 and below 1");
            var options = new StaticChartOptions(format, ChartAxes.Parse(parse.GetValue(axis)!)!.Value, weight, parse.GetValue(logY), width, height);

            using var store = Commands.OpenStore(parse);
            var records = Commands.ResolveRuns(store, parse.GetValue(runs)!);
            var reportRuns = records.Select(r => RunReports.ToReportRun(store, r)).ToList();
            var keys = parse.GetValue(metrics) is { Length: > 0 } asked ? asked.Distinct().ToList() : Default(records[0].MetricName, reportRuns);
            var image = StaticChart.Render(SeedGroups.Group(reportRuns), null, keys, MetricTable.Catalog, options);
            Commands.WriteOutput(path, () => AtomicFile.Write(path, stream => stream.Write(image)));
            Console.Out.WriteLine(Path.GetFullPath(path));
            return ExitCodes.Done;
        }));
        return command;
    }

    // The primary metric and, where a run logged it, its training counterpart (val/loss with train/loss),
    // as the report's loss chart pairs them.
    private static List<string> Default(string primary, IReadOnlyList<ReportRun> runs)
    {
        var slash = primary.IndexOf('/');
        var training = slash > 0 ? $"train{primary[slash..]}" : null;
        return training is not null && training != primary && runs.Any(r => r.Metrics.ContainsKey(training)) ? [primary, training] : [primary];
    }

    private static (int Width, int Height) Size(string text)
    {
        var match = SizePattern().Match(text);
        if (match.Success
            && int.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out var width)
            && int.TryParse(match.Groups[2].Value, CultureInfo.InvariantCulture, out var height)
            && width is >= StaticChartOptions.MinSide and <= StaticChartOptions.MaxSide
            && height is >= StaticChartOptions.MinSide and <= StaticChartOptions.MaxSide)
        {
            return (width, height);
        }
        throw new UserError($"--size {text}: give WIDTHxHEIGHT in pixels, such as 800x500, each side {StaticChartOptions.MinSide} to {StaticChartOptions.MaxSide}");
    }

    [GeneratedRegex(@"^(\d{1,6})x(\d{1,6})$")]
    private static partial Regex SizePattern();
}
