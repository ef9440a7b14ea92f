// `workbench chat RUN [--tokens N] [--temperature T] [--top-k K] [--top-p P] [--seed S]`: talk to a chat
// model (sft, dpo, or a base pretrained on chat data) in its chat template. Each line read is a user turn;
// the model's answer streams until its end of turn and joins the conversation, so later turns see the
// earlier ones. On a terminal the answer appears token by token; off one (a pipe, a file, a test) each
// answer is one line of stdout with its newlines written as \n, so line n of the output answers line n of
// the input. End of input ends the conversation (exit 0).
using System.CommandLine;
using System.Text;
using Workbench.Data;
using Workbench.Data.Chat;
using Workbench.Data.Tokenizers;
using Workbench.Experiments.Generation;
using Workbench.Experiments.Lineage;
using Workbench.Experiments.Specs;
using Workbench.Experiments.Stages;
using Workbench.Models;
using Workbench.Torch;

namespace Workbench.Cli;

internal static class ChatCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "a chat model's run (sft, dpo)" };
        var tokens = new Option<int?>("--tokens") { Description = "most tokens per answer (default 200)" };
        var temperature = new Option<double?>("--temperature") { Description = "softmax temperature (default 0: greedy, the likeliest token)" };
        var topK = new Option<int?>("--top-k") { Description = "sample among the k most likely tokens" };
        var topP = new Option<double?>("--top-p") { Description = "nucleus sampling: the likeliest tokens whose probability reaches p" };
        var seed = new Option<long?>("--seed") { Description = "seed for the draws (default: the run's seed)" };
        var command = new Command("chat", "talk to a chat model in its chat template") { run, tokens, temperature, topK, topP, seed };
        command.SetAction(parse => Commands.Guard(() =>
        {
            using var store = Commands.OpenStore(parse);
            var record = store.Resolve(parse.GetValue(run)!);
            var spec = SpecLoader.FromJson(record.ConfigJson);
            if (spec.Model is not GptSpec)
                throw new UserError($"run {record.Id} trains a {spec.Model.Kind}; chat needs a gpt trained on conversations (stage sft or dpo)");
            var device = Device.TryParse(record.Device, out var trained) && (!trained.IsCuda || Math.Max(trained.Index, 0) < Cuda.DeviceCount)
                ? trained
                : Device.Cpu;
            using var source = TrainedModel.Load(record, device, "chat");
            ChatTemplate template;
            try { template = new ChatTemplate(source.Tokenizer!); }
            catch (DataException e) { throw new UserError($"run {record.Id} has no chat template: {e.Message}"); }
            var settings = new GenerationSettings(parse.GetValue(tokens) ?? 200, parse.GetValue(temperature) ?? 0, parse.GetValue(topK),
                parse.GetValue(topP), [template.EndOfTurnId, template.EndOfTextId], Seed: parse.GetValue(seed) ?? spec.Seed);
            try { settings.Validate(); }
            catch (ArgumentOutOfRangeException e) { throw new UserError(e.Message[..e.Message.IndexOf(" (Parameter", StringComparison.Ordinal)].Trim()); }
            using var model = (Gpt)source.Build(device);
            using var amp = MixedPrecision.Region(spec.Precision, device);

            var interactive = !Console.IsInputRedirected && !Console.IsOutputRedirected;
            var conversation = new List<ChatMessage>();
            var turn = 0;
            while (true)
            {
                if (interactive) Console.Error.Write("you> ");
                var line = Console.In.ReadLine();
                if (line is null) return ExitCodes.Done;
                conversation.Add(ChatMessage.User(line));
                var prompt = template.EncodePrompt(conversation);
                var decoder = new StreamingDecoder(source.Tokenizer!);
                var answer = new StringBuilder();
                // Each turn draws from its own seed, so a conversation replays the same whatever came before.
                Generator.Generate(model, [prompt], settings with { Seed = settings.Seed + turn++ }, device, onToken: (_, id) =>
                {
                    if (id == template.EndOfTurnId || id == template.EndOfTextId) return;
                    var text = decoder.Push(id);
                    answer.Append(text);
                    if (interactive) Console.Out.Write(text);
                });
                var tail = decoder.Flush();
                answer.Append(tail);
                if (interactive) Console.Out.Write(tail);
                Console.Out.WriteLine(interactive ? "" : answer.ToString().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal));
                Console.Out.Flush();
                conversation.Add(ChatMessage.Assistant(answer.ToString()));
            }
        }));
        return command;
    }
}
