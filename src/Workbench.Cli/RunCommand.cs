// `workbench run CONFIG [--set K=V]... [--name N] [--tag T]... [--device D] [--nproc N ...]`: trains and
// records one run, or, given a pipeline file, every stage run of every seed. Progress and logs go to
// stderr; stdout gets only run ids, one per line, the last run's last. With --nproc the run is data
// parallel over N processes (ParallelLauncher.cs).
using System.CommandLine;
using System.Runtime.InteropServices;
using Workbench.Experiments.Pipelines;
using Workbench.Experiments.Runs;
using Workbench.Experiments.Specs;
using Workbench.Experiments.Sweeps;
using Workbench.Experiments.Training;
using Workbench.Tracking;

namespace Workbench.Cli;

internal static class RunCommand
{
    internal static readonly Option<string[]> Set = new("--set") { Description = "override a spec key: --set train.optimizer.lr=3e-4 (a pipeline's: --set STAGE.train.optimizer.lr=3e-4)" };
    internal static readonly Option<string?> Device = new("--device") { Description = "auto, cpu, cuda or cuda:N (overrides the spec)" };

    public static Command Create()
    {
        var config = new Argument<string>("config") { Description = "the experiment spec or pipeline (YAML)" };
        var name = new Option<string?>("--name") { Description = "the run's name (default: the spec's name)" };
        var tags = new Option<string[]>("--tag") { Description = "a tag for this run (repeatable)" };
        // Written by sweep and agent only: the run trains one seed of this sweep trial (TrialProcess).
        var trial = new Option<string?>("--sweep-trial") { Hidden = true };
        var command = new Command("run", "train a spec, or each stage of a pipeline, and record the runs") { config, Set, name, tags, Device, trial };
        ParallelLauncher.AddOptions(command);
        command.SetAction(parse => Commands.Guard(() =>
        {
            var path = parse.GetValue(config)!;
            var plan = ParallelLauncher.PlanOf(parse);
            var link = parse.GetValue(trial) is { } text
                ? SweepTrialLink.TryParse(text) ?? throw new UserError($"--sweep-trial {text}: expected SWEEP_ID:TRIAL, as sweep and agent write it")
                : null;
            if (link != null && plan != null) throw new UserError("a sweep trial runs in one process; --nproc does not apply to it");
            if (link != null) TrialProcess.DieWithAgent();
            var request = new RunRequest(Commands.Store(parse), CommandLine(), parse.GetValue(name),
                parse.GetValue(tags) ?? [], parse.GetValue(Device), Trial: link, Parallel: ParallelLauncher.CurrentRank);
            if (PipelineLoader.IsPipeline(path))
            {
                if (link != null) throw new UserError("a sweep's spec is one experiment spec, not a pipeline");
                if (plan != null) throw new UserError("--nproc runs one spec; run each stage of the pipeline with it instead");
                if (request.NameOverride is not null)
                    throw new UserError("--name names one run; a pipeline's runs are named <pipeline>-<stage>, so change the pipeline's `name:`");
                return ExecutePipeline(PipelineLoader.Load(path, parse.GetValue(Set) ?? []), request);
            }
            var spec = SpecLoader.Load(path, parse.GetValue(Set) ?? []);
            if (plan != null)
            {
                DataParallel.CheckSpec(spec, plan.Ranks[0].WorldSize);
                return ParallelLauncher.Launch(plan, request.Store);
            }
            return Execute(runner => runner.Start(spec, request));
        }));
        return command;
    }

    /// <summary>
    /// Runs with Ctrl-C wired to a clean stop; prints the report path and the run id; maps the status to an
    /// exit code, which <paramref name="check"/> may replace for a finished run (rerun --verify).
    /// </summary>
    internal static int Execute(Func<ExperimentRunner, RunOutcome> start, Func<RunOutcome, int>? check = null) => WithInterrupt(interrupt =>
    {
        // A rank other than 0 shows nothing but how it ended; rank 0 reports the run.
        if (ParallelLauncher.CurrentRank is { IsLeader: false } rank)
        {
            var own = start(new ExperimentRunner(SilentObserver.Instance, interrupt));
            if (own.Error != null) Console.Error.WriteLine($"rank {rank.Rank}: {own.Status.ToString().ToLowerInvariant()}: {own.Error}");
            return ExitCodes.Of(own.Status);
        }
        var outcome = TerminalObserver.Run(observer => start(new ExperimentRunner(observer, interrupt)));
        if (outcome.ReportPath != null) Console.Error.WriteLine($"report: {outcome.ReportPath}");
        var verdict = outcome.Status == RunStatus.Finished && check != null ? check(outcome) : ExitCodes.Done;
        Console.Out.WriteLine(outcome.RunId);
        return outcome.Status == RunStatus.Finished ? verdict : ExitCodes.Of(outcome.Status);
    });

    /// <summary>
    /// Runs a pipeline: each stage run's id on stdout as soon as it is known (chain by chain, so the last
    /// stage of the last seed comes last), the pipeline report's path on stderr, the last run's exit code.
    /// </summary>
    private static int ExecutePipeline(PipelineSpec pipeline, RunRequest request) => WithInterrupt(interrupt =>
    {
        var outcome = TerminalObserver.Run(observer =>
            new PipelineRunner(observer, interrupt).Run(pipeline, request, stage => Console.Out.WriteLine(stage.Run.RunId)));
        if (outcome.ReportPath != null) Console.Error.WriteLine($"report: {outcome.ReportPath}");
        return ExitCodes.Of(outcome.Status);
    });

    // First Ctrl-C: finish the step, checkpoint, mark killed. A second one ends the process. A rank of a
    // data-parallel run leaves Ctrl-C to its launcher, which asks every rank at once with SIGTERM.
    private static int WithInterrupt(Func<CancellationToken, int> work)
    {
        using var interrupt = new CancellationTokenSource();
        var isRank = ParallelLauncher.CurrentRank != null;
        using var ignoreInterrupt = isRank ? PosixSignalRegistration.Create(PosixSignal.SIGINT, s => s.Cancel = true) : null;
        using var onTerminate = isRank ? PosixSignalRegistration.Create(PosixSignal.SIGTERM, s =>
        {
            s.Cancel = true;
            interrupt.Cancel();
        }) : null;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (interrupt.IsCancellationRequested) return;
            e.Cancel = true;
            interrupt.Cancel();
            Console.Error.WriteLine("interrupted: finishing the step and writing a checkpoint (Ctrl-C again to abort)");
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return work(interrupt.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    // A --db URL's password is never stored with the run (`show` prints its command line).
    internal static string CommandLine() =>
        "workbench " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(StoreLocation.RedactPassword).Select(Quote));

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./=:@,".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''") + "'";
}
