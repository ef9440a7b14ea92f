// `workbench show RUN [--json]`: one run's record, config and summary.
using System.CommandLine;
using System.Globalization;
using Workbench.Experiments.Runs;
using Workbench.Tracking;

namespace Workbench.Cli;

internal static class ShowCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "id, id prefix, name, name@latest or name@best" };
        var json = new Option<bool>("--json") { Description = "print the run as one JSON object" };
        var command = new Command("show", "show one run") { run, json };
        command.SetAction(parse => Commands.Guard(() =>
        {
            using var store = Commands.OpenStore(parse);
            var record = store.Resolve(parse.GetValue(run)!);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(RunJson.Show(record));
                return ExitCodes.Done;
            }
            Console.Out.WriteLine($"{record.Name} ({record.Id})  {record.EffectiveStatus.ToName()}");
            Console.Out.WriteLine($"  started  {RunJson.Time(record.StartedAt)}  ended {(record.EndedAt is { } e ? RunJson.Time(e) : "-")}");
            Console.Out.WriteLine($"  device   {record.Device}  torch {record.TorchVersion}  seed {record.Seed}");
            Console.Out.WriteLine($"  git      {record.GitCommit ?? "-"}{(record.GitDirty ? " (dirty)" : "")}");
            Console.Out.WriteLine($"  stage    {record.Stage ?? "-"}" + (record.InitFromId is { } from ? $"  from {from}" : "") +
                                  (record.RerunOfId is { } of ? $"  rerun of {of}" : ""));
            if (record.Tags.Count > 0) Console.Out.WriteLine($"  tags     {string.Join(' ', record.Tags)}");
            if (ParallelRecord.Read(record.RunDir) is { } parallel) Console.Out.WriteLine($"  parallel {parallel.Describe()}");
            Console.Out.WriteLine($"  folder   {record.RunDir}");
            if (record.Error is { } error) Console.Out.WriteLine($"  error    {error}");
            foreach (var (key, value) in record.Summary)
                Console.Out.WriteLine($"  {key,-24} {value.ToString("G6", CultureInfo.InvariantCulture)}");
            return ExitCodes.Done;
        }));
        return command;
    }
}
