// `workbench resume RUN [--nproc N ...]`: continues a killed or failed run from its newest checkpoint,
// in one process or data parallel with the same or another world size.
using System.CommandLine;
using Workbench.Experiments.Specs;
using Workbench.Experiments.Sweeps;
using Workbench.Experiments.Training;

namespace Workbench.Cli;

internal static class ResumeCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "id, id prefix, name, name@latest or name@best" };
        // Written by sweep and agent only: the run is a seed of this retried sweep trial (TrialProcess).
        var trial = new Option<string?>("--sweep-trial") { Hidden = true };
        var command = new Command("resume", "continue a killed or failed run from its last checkpoint") { run, trial };
        ParallelLauncher.AddOptions(command);
        command.SetAction(parse => Commands.Guard(() =>
        {
            var db = Commands.Store(parse);
            if (parse.GetValue(trial) is { } text)
            {
                var link = SweepTrialLink.TryParse(text) ?? throw new UserError($"--sweep-trial {text}: expected SWEEP_ID:TRIAL, as sweep and agent write it");
                if (ParallelLauncher.PlanOf(parse) != null) throw new UserError("a sweep trial runs in one process; --nproc does not apply to it");
                TrialProcess.DieWithAgent();
                return RunCommand.Execute(runner => runner.Resume(db, parse.GetValue(run)!, trial: link));
            }
            if (ParallelLauncher.PlanOf(parse) is { } plan)
            {
                // The spec's split is checked once here rather than by every rank.
                using (var store = Commands.OpenStore(parse))
                    DataParallel.CheckSpec(SpecLoader.FromJson(store.Resolve(parse.GetValue(run)!).ConfigJson), plan.Ranks[0].WorldSize);
                return ParallelLauncher.Launch(plan, db);
            }
            return RunCommand.Execute(runner => runner.Resume(db, parse.GetValue(run)!, ParallelLauncher.CurrentRank));
        }));
        return command;
    }
}
