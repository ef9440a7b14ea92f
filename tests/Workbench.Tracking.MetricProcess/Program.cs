// Test helper process for the store's multi-process tests. Two modes:
//   Workbench.Tracking.MetricProcess DB_PATH NAME POINTS FLUSH_EVERY
//     creates a run, logs POINTS points of one key with a flush every FLUSH_EVERY points (so several
//     processes interleave their transactions), finishes the run and prints its id.
//   Workbench.Tracking.MetricProcess claim DB_PATH SWEEP_ID TRIALS
//     claims trials of the sweep until none is left (new ones while fewer than TRIALS exist), finishes
//     each as completed and prints each claimed trial's number on its own line.
using System.Globalization;
using Workbench.Tracking;

if (args is ["claim", var db, var sweepId, var trialText])
{
    var trials = int.Parse(trialText, CultureInfo.InvariantCulture);
    using var claimant = RunStore.Open(db);
    while (claimant.ClaimTrial(sweepId, (stored, _, number) => stored.Count < trials ? $$"""{"n":"{{number}}"}""" : null) is { } trial)
    {
        Console.WriteLine(trial.Number.ToString(CultureInfo.InvariantCulture));
        if (!claimant.FinishTrial(sweepId, trial.Number, TrialStatus.Completed, trial.Number, null, null)) return 1;
    }
    return 0;
}
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: Workbench.Tracking.MetricProcess DB_PATH NAME POINTS FLUSH_EVERY | claim DB_PATH SWEEP_ID TRIALS");
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
