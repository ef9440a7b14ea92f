// `workbench resume RUN`: continues a killed or failed run from its newest checkpoint.
using System.CommandLine;

namespace Workbench.Cli;

internal static class ResumeCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "id, id prefix, name, name@latest or name@best" };
        var command = new Command("resume", "continue a killed or failed run from its last checkpoint") { run };
        command.SetAction(parse => Commands.Guard(() =>
            RunCommand.Execute(runner => runner.Resume(Commands.Store(parse), parse.GetValue(run)!))));
        return command;
    }
}
