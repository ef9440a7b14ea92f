// `workbench validate CONFIG [--set K=V]...`: checks a spec and prints its hashes; writes nothing.
using System.CommandLine;
using Workbench.Experiments.Specs;

namespace Workbench.Cli;

internal static class ValidateCommand
{
    public static Command Create()
    {
        var config = new Argument<string>("config") { Description = "the experiment spec (YAML)" };
        var command = new Command("validate", "check a spec without running it") { config, RunCommand.Set };
        command.SetAction(parse => Commands.Guard(() =>
        {
            var spec = SpecLoader.Load(parse.GetValue(config)!, parse.GetValue(RunCommand.Set) ?? []);
            Console.Out.WriteLine($"{parse.GetValue(config)}: ok ({spec.Name}, {spec.Model.Kind} on {spec.Data.Dataset}, stage {spec.Train.Stage})");
            Console.Out.WriteLine($"config_hash {SpecJson.ConfigHash(spec)}");
            Console.Out.WriteLine($"group_hash  {SpecJson.GroupHash(spec)}");
            return ExitCodes.Done;
        }));
        return command;
    }
}
