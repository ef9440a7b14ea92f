// `workbench rerun RUN [--verify]`: runs a stored spec again; --verify compares the two metric series
// and exits 1 when they differ (the metric catalog's timing metrics aside, which never repeat exactly).
using System.CommandLine;
using System.Globalization;
using Workbench.Experiments.Catalog;
using Workbench.Experiments.Runs;
using Workbench.Experiments.Specs;

namespace Workbench.Cli;

internal static class RerunCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "a run reference" };
        var verify = new Option<bool>("--verify") { Description = "compare the new run's metrics with the original's; exit 1 if they differ" };
        var command = new Command("rerun", "run a stored spec again") { run, verify, RunCommand.Device };
        command.SetAction(parse => Commands.Guard(() =>
        {
            var db = Commands.Store(parse);
            Tracking.RunRecord original;
            using (var store = Commands.OpenStore(parse)) original = store.Resolve(parse.GetValue(run)!);
            var spec = SpecLoader.FromJson(original.ConfigJson);
            var request = new RunRequest(db, RunCommand.CommandLine(), DeviceOverride: parse.GetValue(RunCommand.Device), RerunOf: original.Id);
            return RunCommand.Execute(runner => runner.Start(spec, request),
                parse.GetValue(verify) ? outcome => Verify(db, original.Id, outcome.RunId) : null);
        }));
        return command;
    }

    private static int Verify(Tracking.StoreLocation db, string originalId, string rerunId)
    {
        using var store = Tracking.RunStore.Open(db);
        var before = store.GetMetrics(originalId);
        var after = store.GetMetrics(rerunId);
        double largest = 0;
        string where = "";
        foreach (var key in before.Keys.Union(after.Keys).Where(k => !MetricTable.Catalog.IsTiming(k)).Order(StringComparer.Ordinal))
        {
            if (!before.TryGetValue(key, out var a) || !after.TryGetValue(key, out var b) || a.Count != b.Count)
            {
                Console.Error.WriteLine($"verify: {key} has {(before.TryGetValue(key, out var x) ? x.Count : 0)} points before and {(after.TryGetValue(key, out var y) ? y.Count : 0)} after");
                return ExitCodes.Failed;
            }
            for (var i = 0; i < a.Count; i++)
            {
                var diff = Math.Abs(a.Values[i] - b.Values[i]);
                if (diff > largest || (double.IsNaN(diff) && !(double.IsNaN(a.Values[i]) && double.IsNaN(b.Values[i]))))
                {
                    largest = double.IsNaN(diff) ? double.PositiveInfinity : diff;
                    where = $"{key} at step {a.Steps[i]}";
                }
            }
        }
        if (largest == 0)
        {
            Console.Error.WriteLine($"verify: {rerunId} repeats {originalId} exactly");
            return ExitCodes.Done;
        }
        Console.Error.WriteLine($"verify: largest difference {largest.ToString("G6", CultureInfo.InvariantCulture)} ({where})");
        return ExitCodes.Failed;
    }
}
