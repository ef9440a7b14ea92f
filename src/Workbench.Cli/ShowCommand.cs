// `workbench show RUN [--json]`: one run's record, config and summary, and how many processes trained it
// (world size, backend and nodes: a single process is world size 1).
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Experiments.Runs;
using Workbench.Tracking;

namespace Workbench.Cli;

internal static class ShowCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "id, id prefix, name, name@latest or name@best" };
        var json = new Option<bool>("--json") { Description = "print the run as one JSON object" };
        var command = new Command("show", "show one run") { run, json };
        command.SetAction(parse => Commands.Guard(() =>
        {
            using var store = Commands.OpenStore(parse);
            var record = store.Resolve(parse.GetValue(run)!);
            var parallel = ParallelRecord.Of(record);
            if (parse.GetValue(json))
            {
                var shown = RunJson.ShowObject(record);
                shown["parallel"] = new JsonObject
                {
                    ["world_size"] = parallel.WorldSize,
                    ["backend"] = parallel.Backend,
                    ["nodes"] = parallel.Nodes,
                    ["hosts"] = new JsonArray(parallel.Hosts.Select(h => (JsonNode?)h).ToArray()),
                };
                Console.Out.WriteLine(shown.ToJsonString(Indented));
                return ExitCodes.Done;
            }
            Console.Out.WriteLine($"{record.Name} ({record.Id})  {record.EffectiveStatus.ToName()}");
            Console.Out.WriteLine($"  started  {RunJson.Time(record.StartedAt)}  ended {(record.EndedAt is { } e ? RunJson.Time(e) : "-")}");
            Console.Out.WriteLine($"  device   {record.Device}  torch {record.TorchVersion}  seed {record.Seed}");
            Console.Out.WriteLine($"  git      {record.GitCommit ?? "-"}{(record.GitDirty ? " (dirty)" : "")}");
            Console.Out.WriteLine($"  stage    {record.Stage ?? "-"}" + (record.InitFromId is { } from ? $"  from {from}" : "") +
                                  (record.RerunOfId is { } of ? $"  rerun of {of}" : ""));
            if (record.Tags.Count > 0) Console.Out.WriteLine($"  tags     {string.Join(' ', record.Tags)}");
            Console.Out.WriteLine($"  parallel {parallel.Describe()}");
            // On a server store each machine keeps the folders of the runs it ran.
            Console.Out.WriteLine($"  folder   {record.RunDir}" + (store.IsServer ? $"  on {record.Host}" + (record.Host == RunProcess.Current.Host ? " (this machine)" : "") : ""));
            if (record.Error is { } error) Console.Out.WriteLine($"  error    {error}");
            foreach (var (key, value) in record.Summary)
                Console.Out.WriteLine($"  {key,-24} {value.ToString("G6", CultureInfo.InvariantCulture)}");
            return ExitCodes.Done;
        }));
        return command;
    }
}
