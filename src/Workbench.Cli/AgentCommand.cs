// `workbench agent SWEEP [--count K]`: one more worker for a sweep, on this machine or any other that
// shares its store: draws trials from the stored sweep until the budget is spent or none is left.
using System.CommandLine;

namespace Workbench.Cli;

internal static class AgentCommand
{
    public static Command Create()
    {
        var sweep = new Argument<string>("sweep") { Description = "a sweep id or unique id prefix" };
        var count = new Option<int?>("--count") { Description = "stop after this many trials" };
        var command = new Command("agent", "run trials of a registered sweep") { sweep, count };
        command.SetAction(parse => Commands.Guard(() =>
        {
            if (parse.GetValue(count) is < 1 and var k) throw new UserError($"--count {k}: give a number of trials, 1 or more");
            using var store = Commands.OpenStore(parse);
            var record = store.GetSweep(parse.GetValue(sweep)!);
            var exit = SweepCommand.Drive(store, record, slots: 1, parse.GetValue(count));
            Console.Out.WriteLine(record.Id);
            return exit;
        }));
        return command;
    }
}
