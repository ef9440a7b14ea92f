// `workbench run CONFIG [--set K=V]... [--name N] [--tag T]... [--device D]`: trains and records one run.
// Progress and logs go to stderr; stdout gets only the run id, as its last line.
using System.CommandLine;
using Workbench.Experiments.Runs;
using Workbench.Experiments.Specs;
using Workbench.Tracking;

namespace Workbench.Cli;

internal static class RunCommand
{
    internal static readonly Option<string[]> Set = new("--set") { Description = "override a spec key: --set train.optimizer.lr=3e-4" };
    internal static readonly Option<string?> Device = new("--device") { Description = "auto, cpu, cuda or cuda:N (overrides the spec)" };

    public static Command Create()
    {
        var config = new Argument<string>("config") { Description = "the experiment spec (YAML)" };
        var name = new Option<string?>("--name") { Description = "the run's name (default: the spec's name)" };
        var tags = new Option<string[]>("--tag") { Description = "a tag for this run (repeatable)" };
        var command = new Command("run", "train a spec and record the run") { config, Set, name, tags, Device };
        command.SetAction(parse => Commands.Guard(() =>
        {
            var spec = SpecLoader.Load(parse.GetValue(config)!, parse.GetValue(Set) ?? []);
            var request = new RunRequest(parse.GetValue(Commands.Db)!, CommandLine(), parse.GetValue(name),
                parse.GetValue(tags) ?? [], parse.GetValue(Device));
            return Execute(runner => runner.Start(spec, request));
        }));
        return command;
    }

    /// <summary>
    /// Runs with Ctrl-C wired to a clean stop; prints the report path and the run id; maps the status to an
    /// exit code, which <paramref name="check"/> may replace for a finished run (rerun --verify).
    /// </summary>
    internal static int Execute(Func<ExperimentRunner, RunOutcome> start, Func<RunOutcome, int>? check = null)
    {
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // First Ctrl-C: finish the step, checkpoint, mark killed. A second one ends the process.
            if (interrupt.IsCancellationRequested) return;
            e.Cancel = true;
            interrupt.Cancel();
            Console.Error.WriteLine("interrupted: finishing the step and writing a checkpoint (Ctrl-C again to abort)");
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var outcome = TerminalObserver.Run(observer => start(new ExperimentRunner(observer, interrupt.Token)));
            if (outcome.ReportPath != null) Console.Error.WriteLine($"report: {outcome.ReportPath}");
            var verdict = outcome.Status == RunStatus.Finished && check != null ? check(outcome) : ExitCodes.Done;
            Console.Out.WriteLine(outcome.RunId);
            return outcome.Status switch
            {
                RunStatus.Finished => verdict,
                RunStatus.Killed => ExitCodes.Interrupted,
                _ => ExitCodes.Failed,
            };
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    internal static string CommandLine() => "workbench " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(Quote));

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./=:@,".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''") + "'";
}
