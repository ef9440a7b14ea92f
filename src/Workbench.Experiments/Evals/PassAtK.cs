// val/pass@k: the held-out prompts each answered k times by sampling (the RL stage's temperature, a
// fixed seed, so an evaluation draws nothing from training's generator), a prompt counting as solved
// when any of its k answers passes its task's checker. Beside val/exact_match's one greedy answer it
// shows what sampling can reach: what GRPO turns into greedy answers when it works.
using Workbench.Experiments.Data;
using Workbench.Experiments.Generation;
using Workbench.Models;
using Workbench.Torch;

namespace Workbench.Experiments.Evals;

public static class PassAtK
{
    private const int Rows = 256;   // completions generated together

    /// <summary>(val/pass@k, fraction of held-out prompts with a right answer among k samples drawn with <paramref name="sampling"/>).</summary>
    public static (string Name, double Value) Evaluate(Gpt model, ChatData data, int k, GenerationSettings sampling, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var solved = 0;
        var chunk = 0;
        foreach (var prompts in data.Eval.Chunk(Math.Max(1, Rows / k)))
        {
            var rows = prompts.SelectMany(p => Enumerable.Repeat((IReadOnlyList<int>)p.Prompt, k)).ToList();
            // One seed per chunk: the same model gets the same draws, however many chunks came before.
            var completions = Generator.Generate(model, rows, sampling with { Seed = sampling.Seed + chunk++ }, device);
            for (var i = 0; i < prompts.Length; i++)
                if (completions.Skip(i * k).Take(k).Any(c => ChatData.IsRight(prompts[i], ExactMatch.Answer(data, c)))) solved++;
        }
        return ($"val/pass@{k}", (double)solved / data.Eval.Count);
    }
}
