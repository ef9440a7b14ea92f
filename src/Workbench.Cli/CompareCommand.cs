// `workbench compare RUN RUN... [--baseline RUN] [--out FILE]` and `workbench report RUN [--baseline RUN]
// [--out FILE]`: an HTML report, or with --out FILE.md a Markdown summary with PNG charts in FILE_files/;
// compare also prints the summary table with deltas.
using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Workbench.Experiments.Catalog;
using Workbench.Experiments.Runs;
using Workbench.Reports;
using Workbench.Tracking;

namespace Workbench.Cli;

internal static class CompareCommand
{
    private static readonly Option<string?> Baseline = new("--baseline") { Description = "the run to compare against" };
    private static readonly Option<string?> Out = new("--out") { Description = "the HTML file to write, or FILE.md for Markdown with PNG charts in FILE_files/" };

    public static Command Create()
    {
        var runs = new Argument<string[]>("runs") { Description = "run references", Arity = ArgumentArity.OneOrMore };
        var command = new Command("compare", "compare runs in the terminal and in an HTML report") { runs, Baseline, Out };
        command.SetAction(parse => Commands.Guard(() => Execute(parse, parse.GetValue(runs)!, printTable: true)));
        return command;
    }

    public static Command CreateReport()
    {
        var run = new Argument<string>("run") { Description = "a run reference" };
        var command = new Command("report", "write a run's HTML report") { run, Baseline, Out };
        command.SetAction(parse => Commands.Guard(() => Execute(parse, [parse.GetValue(run)!], printTable: false)));
        return command;
    }

    private static int Execute(ParseResult parse, string[] references, bool printTable)
    {
        using var store = Commands.OpenStore(parse);
        var records = Commands.ResolveRuns(store, references);
        var baselineRecord = parse.GetValue(Baseline) is { } b ? store.Resolve(b) : null;
        var runs = records.Select(r => RunReports.ToReportRun(store, r)).ToList();
        var baseline = baselineRecord != null ? RunReports.ToReportRun(store, baselineRecord) : null;
        var path = parse.GetValue(Out)
            ?? (records.Count == 1 && baseline == null ? Path.Combine(records[0].RunDir, "report.html")
                : Path.Combine(store.RunsDirectory, "reports", $"compare-{string.Join('-', records.Select(r => r.Id).Take(4))}.html"));
        var markdown = string.Equals(Path.GetExtension(path), ".md", StringComparison.OrdinalIgnoreCase);
        Commands.WriteOutput(path, () =>
        {
            if (markdown) RunReports.WriteMarkdown(path, runs, baseline, records[0]);
            else RunReports.Write(path, runs, baseline, records[0]);
        });
        if (printTable) PrintTable(Comparison.Summarize(runs, baseline, MetricTable.Catalog));
        Console.Error.WriteLine($"report: {Path.GetFullPath(path)}");
        Console.Out.WriteLine(Path.GetFullPath(path));
        return ExitCodes.Done;
    }

    private static void PrintTable(ComparisonTable table)
    {
        var grid = new Table().Border(TableBorder.Simple).AddColumn("metric");
        if (table.Baseline is { } baseline) grid.AddColumn(Markup.Escape($"{baseline.Name} ({baseline.Id}) [baseline]"));
        foreach (var run in table.Runs) grid.AddColumn(Markup.Escape($"{run.Name} ({run.Id})"));
        foreach (var metric in table.Metrics)
        {
            var cells = new List<string> { Markup.Escape(metric.Metric) };
            if (table.Baseline != null) cells.Add(Format(metric.Baseline));
            foreach (var delta in metric.Runs)
            {
                var text = Format(delta.Value);
                if (delta.Relative is { } rel) text += $" ({(rel >= 0 ? "+" : "")}{(rel * 100).ToString("0.0", CultureInfo.InvariantCulture)}%)";
                cells.Add(delta.Verdict switch
                {
                    Verdict.Better => $"[green]{text}[/]",
                    Verdict.Worse => $"[red]{text}[/]",
                    _ => text,
                });
            }
            grid.AddRow(cells.ToArray());
        }
        AnsiConsole.Console.Write(grid);
    }

    private static string Format(double? value) => value is { } v ? v.ToString("G5", CultureInfo.InvariantCulture) : "-";
}
