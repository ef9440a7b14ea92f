// val/exact_match: every stage that reads chat data answers the same held-out prompts by greedy
// decoding (batched, KV cache) until end of turn, and each answer is judged by its task's checker.
// One measure across pretrain, SFT, DPO, PPO and GRPO, so each stage is compared with the one before.
using Workbench.Data.Tokenizers;
using Workbench.Experiments.Data;
using Workbench.Experiments.Generation;
using Workbench.Models;
using Workbench.Torch;

namespace Workbench.Experiments.Evals;

public static class ExactMatch
{
    private const int Batch = 64;   // prompts decoded together

    /// <summary>
    /// val/exact_match, val/exact_match/&lt;task&gt; for each task, and val/completions/mean_length (tokens, end of turn
    /// included when drawn). <paramref name="onAnswer"/> sees each prompt's decoded answer. With <paramref name="parallel"/>,
    /// each rank answers its share of the prompts and the counts are summed (onAnswer then sees this rank's share only).
    /// </summary>
    public static IReadOnlyList<(string Name, double Value)> Evaluate(Gpt model, ChatData data, Device device,
        Action<EvalPrompt, string, bool>? onAnswer = null, Training.DataParallel? parallel = null)
    {
        var template = data.Template;
        // Room for the longest answer and its end of turn, and a little more: a model that rambles past it is wrong anyway.
        var maxNew = data.Eval.Max(p => data.Tokenizer.Encode(p.Answer).Length) + 4;
        var settings = new GenerationSettings(maxNew, Temperature: 0, StopTokens: [template.EndOfTurnId, template.EndOfTextId]);
        var right = new Dictionary<string, (int Right, int Count)>();
        long lengths = 0;
        var solved = 0;
        var (first, count) = parallel?.Shard(data.Eval.Count) ?? (0, data.Eval.Count);
        foreach (var chunk in data.Eval.Skip((int)first).Take((int)count).Chunk(Batch))
        {
            var completions = Generator.Generate(model, chunk.Select(p => (IReadOnlyList<int>)p.Prompt).ToList(), settings, device);
            for (var i = 0; i < chunk.Length; i++)
            {
                var tokens = completions[i].Tokens;
                lengths += tokens.Count;
                var answer = Answer(data, completions[i]);
                var ok = ChatData.IsRight(chunk[i], answer);
                onAnswer?.Invoke(chunk[i], answer, ok);
                if (ok) solved++;
                if (chunk[i].Task is { } task)
                {
                    var (r, n) = right.GetValueOrDefault(task);
                    right[task] = (r + (ok ? 1 : 0), n + 1);
                }
            }
        }
        // Every rank knows every prompt's task, so each sums the same figures in the same order.
        var tasks = data.Eval.Select(p => p.Task).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        var totals = Training.RankReduce.Combine(parallel,
        [
            (solved, Training.Across.Sum), (lengths, Training.Across.Sum),
            .. tasks.SelectMany(t => new[] { ((double)right.GetValueOrDefault(t).Right, Training.Across.Sum), (right.GetValueOrDefault(t).Count, Training.Across.Sum) }),
        ]);
        var metrics = new List<(string, double)> { ("val/exact_match", totals[0] / data.Eval.Count) };
        metrics.AddRange(tasks.Select((t, i) => ($"val/exact_match/{t}", totals[2 + 2 * i] / totals[3 + 2 * i])));
        metrics.Add(("val/completions/mean_length", totals[1] / data.Eval.Count));
        return metrics;
    }

    /// <summary>A completion's text as its checker reads it: decoded, the stop token (end of turn) left out.</summary>
    public static string Answer(ChatData data, Completion completion) =>
        data.Tokenizer.Decode(completion.Stopped ? completion.Tokens.SkipLast(1).ToArray() : completion.Tokens.ToArray());
}
