// `workbench sample RUN [--prompt TEXT] [--tokens N] [--temperature T] [--top-k K] [--seed S]`: streams
// text from a language-model run's final weights to the terminal.
using System.CommandLine;
using Workbench.Data.Tokenizers;
using Workbench.Experiments.Building;
using Workbench.Experiments.Checkpoints;
using Workbench.Experiments.Generation;
using Workbench.Experiments.Sampling;
using Workbench.Experiments.Specs;
using Workbench.Experiments.Stages;
using Workbench.Torch;

namespace Workbench.Cli;

internal static class SampleCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "a language-model run" };
        var prompt = new Option<string?>("--prompt") { Description = "text to continue (default: the spec's sample.prompt)" };
        var tokens = new Option<int?>("--tokens") { Description = "tokens to generate" };
        var temperature = new Option<double?>("--temperature") { Description = "softmax temperature (> 0)" };
        var topK = new Option<int?>("--top-k") { Description = "sample among the k most likely tokens" };
        var seed = new Option<long?>("--seed") { Description = "seed for the draws (default: the run's seed)" };
        var command = new Command("sample", "generate text from a language model") { run, prompt, tokens, temperature, topK, seed };
        command.SetAction(parse => Commands.Guard(() =>
        {
            using var store = Commands.OpenStore(parse);
            var record = store.Resolve(parse.GetValue(run)!);
            var spec = SpecLoader.FromJson(record.ConfigJson);
            if (spec.Model is not LanguageModelSpec language)
                throw new UserError($"run {record.Id} trains a {spec.Model.Kind}, not a language model");
            var settings = new GenerationSettings(parse.GetValue(tokens) ?? spec.Sample.Tokens, parse.GetValue(temperature) ?? spec.Sample.Temperature,
                parse.GetValue(topK) ?? spec.Sample.TopK);
            if (settings.Temperature <= 0 || settings.MaxNewTokens < 0 || settings.TopK is < 1)
                throw new UserError("--temperature must be > 0, --tokens >= 0 and --top-k >= 1");
            var weights = Path.Combine(record.RunDir, "checkpoints", CheckpointStore.Final);
            var tokenizerPath = Path.Combine(record.RunDir, "tokenizer.json");
            if (!Directory.Exists(weights) || !File.Exists(tokenizerPath))
                throw new UserError($"run {record.Id} has no final weights to sample from (it is {record.EffectiveStatus.ToString().ToLowerInvariant()})");

            // The run's device when this machine has it; else the CPU (a GPU run copied to a laptop still samples).
            var device = Device.TryParse(record.Device, out var trained) && (!trained.IsCuda || Math.Max(trained.Index, 0) < Cuda.DeviceCount)
                ? trained
                : Device.Cpu;
            var tokenizer = LoadTokenizer(tokenizerPath);
            using var checkpoint = CheckpointStore.Load(weights, device);
            using var model = language.Build(tokenizer.VocabSize);
            model.To(device);
            checkpoint.LoadModelInto(model);
            Torch.Torch.ManualSeed(parse.GetValue(seed) ?? spec.Seed);

            var text = parse.GetValue(prompt) ?? spec.Sample.Prompt;
            Console.Out.Write(text);
            var decoder = SampleText.For(tokenizer, spec.Data.Dataset);
            using var amp = MixedPrecision.Region(spec.Precision, device);      // sample as the run evaluated
            TextSampler.Generate(model, language.BlockSize, SampleText.Boundary(tokenizer, spec.Data.Dataset), tokenizer.Encode(text),
                settings with { NeverDrawn = SampleText.NeverDrawn(tokenizer, spec.Data.Dataset) }, device,
                id => Console.Out.Write(decoder.Push(id)));
            Console.Out.WriteLine(decoder.Flush());
            return ExitCodes.Done;
        }));
        return command;
    }

    private static ITokenizer LoadTokenizer(string path)
    {
        try
        {
            return Tokenizer.Load(File.ReadAllText(path));
        }
        catch (TokenizerFormatException e)
        {
            throw new UserError($"{path} cannot be read: {e.Message}");
        }
    }
}
