// `workbench sample RUN [--prompt TEXT] [--tokens N] [--temperature T] [--top-k K] [--top-p P] [--stop TEXT]...
// [--seed S]`: streams text from a language-model run's final weights to the terminal.
using System.CommandLine;
using Workbench.Experiments.Generation;
using Workbench.Experiments.Lineage;
using Workbench.Experiments.Runs;
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
        var tokens = new Option<int?>("--tokens") { Description = "most tokens to generate" };
        var temperature = new Option<double?>("--temperature") { Description = "softmax temperature (>= 0; 0 is greedy: always the likeliest token)" };
        var topK = new Option<int?>("--top-k") { Description = "sample among the k most likely tokens" };
        var topP = new Option<double?>("--top-p") { Description = "sample among the likeliest tokens whose probability reaches p (nucleus sampling, 0 < p <= 1)" };
        var stop = new Option<string[]>("--stop")
        {
            Description = "stop after this token (a special such as <|endoftext|>, or text that is one token); repeatable",
            AllowMultipleArgumentsPerToken = false,
        };
        var seed = new Option<long?>("--seed") { Description = "seed for the draws (default: the run's seed)" };
        var command = new Command("sample", "generate text from a language model") { run, prompt, tokens, temperature, topK, topP, stop, seed };
        command.SetAction(parse => Commands.Guard(() =>
        {
            using var store = Commands.OpenStore(parse);
            var record = store.Resolve(parse.GetValue(run)!);
            var spec = SpecLoader.FromJson(record.ConfigJson);
            if (spec.Model is not LanguageModelSpec language)
                throw new UserError($"run {record.Id} trains a {spec.Model.Kind}, not a language model");

            // The run's device when this machine has it; else the CPU (a GPU run copied to a laptop still samples).
            var device = Device.TryParse(record.Device, out var trained) && (!trained.IsCuda || Math.Max(trained.Index, 0) < Cuda.DeviceCount)
                ? trained
                : Device.Cpu;
            using var source = TrainedModel.Load(record, device, "sample");
            var tokenizer = source.Tokenizer!;
            var stops = (parse.GetValue(stop) ?? []).Select(text => StopToken(tokenizer, text)).ToList();
            var settings = new GenerationSettings(parse.GetValue(tokens) ?? spec.Sample.Tokens, parse.GetValue(temperature) ?? spec.Sample.Temperature,
                parse.GetValue(topK) ?? spec.Sample.TopK, parse.GetValue(topP), stops, SampleText.NeverDrawn(tokenizer, spec.Data.Dataset),
                parse.GetValue(seed) ?? spec.Seed);
            try { settings.Validate(); }
            catch (ArgumentOutOfRangeException e) { throw new UserError(e.Message[..e.Message.IndexOf(" (Parameter", StringComparison.Ordinal)].Trim()); }
            using var model = source.Build(device);

            var text = parse.GetValue(prompt) ?? spec.Sample.Prompt;
            Console.Out.Write(text);
            var decoder = SampleText.For(tokenizer, spec.Data.Dataset);
            using var amp = MixedPrecision.Region(spec.Precision, device);      // sample as the run evaluated
            TextSampler.Generate(model, language.BlockSize, SampleText.Boundary(tokenizer, spec.Data.Dataset), tokenizer.Encode(text),
                settings, device, id => Console.Out.Write(decoder.Push(id)));
            Console.Out.WriteLine(decoder.Flush());
            return ExitCodes.Done;
        }));
        return command;
    }

    private static int StopToken(Workbench.Data.Tokenizers.ITokenizer tokenizer, string text)
    {
        var ids = tokenizer.Encode(text, allowSpecial: true);
        return ids.Length == 1 ? ids[0]
            : throw new UserError($"--stop {text}: is {ids.Length} tokens in this run's vocabulary; a stop must be exactly one " +
                                  "(a special such as <|endoftext|>, or one character of a char vocabulary)");
    }
}
