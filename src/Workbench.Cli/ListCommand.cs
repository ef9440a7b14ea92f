// `workbench ls [--status S] [--name GLOB] [--json]`: the runs in the database, newest first.
using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Workbench.Tracking;

namespace Workbench.Cli;

internal static class ListCommand
{
    public static Command Create()
    {
        var status = new Option<string?>("--status") { Description = "running, finished, failed, diverged, killed or pruned" };
        var name = new Option<string?>("--name") { Description = "a name glob, such as mnist-*" };
        var json = new Option<bool>("--json") { Description = "print a JSON array" };
        var command = new Command("ls", "list runs") { status, name, json };
        command.SetAction(parse => Commands.Guard(() =>
        {
            if (parse.GetValue(status) is { } s && !RunStatusNames.TryParse(s, out _))
                throw new UserError($"--status {s} is not one of running, finished, failed, diverged, killed, pruned");
            using var store = Commands.OpenStore(parse);
            var runs = store.List(parse.GetValue(status), parse.GetValue(name));
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(RunJson.List(runs));
                return ExitCodes.Done;
            }
            var table = new Table().Border(TableBorder.Simple).AddColumns("id", "name", "status", "stage", "parent", "started", "duration", "metric", "value");
            foreach (var run in runs)
            {
                var value = run.Summary.TryGetValue(run.MetricName, out var v) ? v.ToString("G5", CultureInfo.InvariantCulture) : "";
                table.AddRow(run.Id, Markup.Escape(run.Name), run.EffectiveStatus.ToName(), Markup.Escape(run.Stage ?? ""), run.ParentId ?? "",
                    run.StartedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    Workbench.Reports.ReportBuilder.Duration(run.StartedAt, run.EndedAt), Markup.Escape(run.MetricName), value);
            }
            AnsiConsole.Write(table);
            return ExitCodes.Done;
        }));
        return command;
    }
}
