// `workbench export RUN [--format csv|json] [--out FILE]`: a run's metric points, for pandas and friends.
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Workbench.Cli;

internal static class ExportCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "a run reference" };
        var format = new Option<string>("--format") { Description = "csv or json", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "json");
        var output = new Option<string?>("--out") { Description = "the file to write (default: stdout)" };
        var command = new Command("export", "export a run's metrics as CSV (key,step,value,wall_time) or JSON") { run, format, output };
        command.SetAction(parse => Commands.Guard(() =>
        {
            using var store = Commands.OpenStore(parse);
            var record = store.Resolve(parse.GetValue(run)!);
            var metrics = store.GetMetrics(record.Id);
            string text;
            if (parse.GetValue(format) == "json")
            {
                var root = new JsonObject { ["run"] = record.Id, ["name"] = record.Name };
                var series = new JsonObject();
                foreach (var (key, m) in metrics)
                    series[key] = new JsonObject
                    {
                        ["step"] = new JsonArray(m.Steps.Select(s => (JsonNode)s).ToArray()),
                        ["value"] = new JsonArray(m.Values.Select(v => (JsonNode?)(double.IsFinite(v) ? v : null)).ToArray()),
                        ["wall_time"] = new JsonArray(m.WallTimes.Select(w => (JsonNode)w).ToArray()),
                    };
                root["metrics"] = series;
                text = root.ToJsonString();
            }
            else
            {
                var csv = new StringBuilder("key,step,value,wall_time\n");
                foreach (var (key, m) in metrics)
                    for (var i = 0; i < m.Count; i++)
                        csv.Append(CultureInfo.InvariantCulture, $"{key},{m.Steps[i]},{m.Values[i]:R},{m.WallTimes[i]:R}\n");
                text = csv.ToString();
            }
            if (parse.GetValue(output) is { } path) File.WriteAllText(path, text);
            else Console.Out.Write(text);
            return ExitCodes.Done;
        }));
        return command;
    }
}
