// `workbench validate CONFIG [--set K=V]...`: checks a spec and prints its hashes, or a pipeline and
// prints one line per stage; writes nothing.
using System.CommandLine;
using Workbench.Experiments.Pipelines;
using Workbench.Experiments.Specs;

namespace Workbench.Cli;

internal static class ValidateCommand
{
    public static Command Create()
    {
        var config = new Argument<string>("config") { Description = "the experiment spec or pipeline (YAML)" };
        var command = new Command("validate", "check a spec or pipeline without running it") { config, RunCommand.Set };
        command.SetAction(parse => Commands.Guard(() =>
        {
            var path = parse.GetValue(config)!;
            if (PipelineLoader.IsPipeline(path))
            {
                // Hashes are left out: a later stage's depend on the run ids of the stages before it.
                var pipeline = PipelineLoader.Load(path, parse.GetValue(RunCommand.Set) ?? []);
                var seeds = pipeline.Seeds is { } s ? $"seeds {string.Join(", ", s)}" : "each stage's own seed";
                foreach (var stage in pipeline.Stages)
                    Console.Out.WriteLine($"{path}: stage {stage.Name} ok ({Describe(stage.Preview)}" +
                                          $"{(stage.InitFromStage is { } from ? $", from stage {from}" : "")}, {seeds})");
                return ExitCodes.Done;
            }
            var spec = SpecLoader.Load(path, parse.GetValue(RunCommand.Set) ?? []);
            Console.Out.WriteLine($"{path}: ok ({Describe(spec)})");
            Console.Out.WriteLine($"config_hash {SpecJson.ConfigHash(spec)}");
            Console.Out.WriteLine($"group_hash  {SpecJson.GroupHash(spec)}");
            return ExitCodes.Done;
        }));
        return command;
    }

    private static string Describe(ExperimentSpec spec) => $"{spec.Name}, {spec.Model.Kind} on {spec.Data.Dataset}, stage {spec.Train.Stage}";
}
