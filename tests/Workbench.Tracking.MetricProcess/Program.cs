// Test helper process: creates a run in the given database, logs POINTS points of one key with a
// flush every FLUSH_EVERY points (so several processes interleave their transactions), finishes
// the run and prints its id.
//   Workbench.Tracking.MetricProcess DB_PATH NAME POINTS FLUSH_EVERY
using System.Globalization;
using Workbench.Tracking;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: Workbench.Tracking.MetricProcess DB_PATH NAME POINTS FLUSH_EVERY");
    return 2;
}
var points = int.Parse(args[2], CultureInfo.InvariantCulture);
var flushEvery = int.Parse(args[3], CultureInfo.InvariantCulture);

using var store = RunStore.Open(args[0]);
var run = store.CreateRun(new NewRun
{
    Name = args[1],
    ConfigJson = "{}",
    ConfigHash = "c",
    GroupHash = "g",
    MetricName = "train/loss",
    MetricGoal = MetricGoal.Min,
    Device = "cpu",
});
using (var writer = store.OpenMetricWriter(run.Id))
{
    for (var step = 0; step < points; step++)
    {
        writer.Log("train/loss", step, 1.0 / (step + 1));
        if ((step + 1) % flushEvery == 0)
        {
            writer.Flush();
        }
    }
}
store.Finish(run.Id, RunStatus.Finished, new Dictionary<string, double> { ["train/loss"] = 1.0 / points }, null);
Console.WriteLine(run.Id);
return 0;
