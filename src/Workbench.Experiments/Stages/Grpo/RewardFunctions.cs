// The reward functions train.grpo.reward_funcs names, each a score of one sampled completion, and their
// weighted sum, GRPO's reward:
//   correctness  1 when the task's checker accepts the answer (end of turn left out), else 0: the verifiable reward
//   format       1 when the completion is a well-formed answer: one non-empty line ended by end of turn, else 0
//   length       -(tokens / max_completion_length), in [-1, 0): with a positive weight, a penalty on long completions
// Each function's unweighted mean is logged as rewards/<name>/mean, as TRL logs its reward functions.
using Workbench.Experiments.Data;
using Workbench.Experiments.Specs;

namespace Workbench.Experiments.Stages.Grpo;

/// <summary>A completion as the reward functions see it: its problem, its text (end of turn left out), its length in tokens, and whether it ended its turn.</summary>
public sealed record SampledAnswer(EvalPrompt Problem, string Text, int Tokens, bool EndedTurn);

public sealed record RewardFunction(string Name, Func<SampledAnswer, int, double> Score);

public static class RewardFunctions
{
    /// <summary>Every reward function, in the order of <see cref="GrpoSpec.RewardNames"/>; the int is max_completion_length.</summary>
    public static IReadOnlyList<RewardFunction> All { get; } =
    [
        new("correctness", (a, _) => ChatData.IsRight(a.Problem, a.Text) ? 1 : 0),
        new("format", (a, _) => a.EndedTurn && a.Text.Trim().Length > 0 && !a.Text.Contains('\n') ? 1 : 0),
        new("length", (a, max) => -(double)a.Tokens / max),
    ];

    public static RewardFunction Get(string name) =>
        All.FirstOrDefault(f => f.Name == name) ?? throw new KeyNotFoundException($"no reward function `{name}` (known: {string.Join(", ", All.Select(f => f.Name))})");
}

/// <summary>The weighted sum of the spec's reward functions.</summary>
public sealed class RewardSum(IReadOnlyList<RewardWeight> weights, int maxCompletionLength)
{
    private readonly IReadOnlyList<(RewardFunction Function, double Weight)> _terms = weights.Select(w => (RewardFunctions.Get(w.Name), w.Weight)).ToList();

    /// <summary>(N) each completion's reward, and each function's unweighted mean under its metric name (rewards/&lt;name&gt;/mean).</summary>
    public (float[] Rewards, IReadOnlyList<(string Name, double Value)> Means) Score(IReadOnlyList<SampledAnswer> answers)
    {
        var rewards = new float[answers.Count];
        var means = new List<(string, double)>();
        foreach (var (function, weight) in _terms)
        {
            var scores = answers.Select(a => function.Score(a, maxCompletionLength)).ToArray();
            for (var i = 0; i < rewards.Length; i++) rewards[i] += (float)(weight * scores[i]);
            means.Add(($"rewards/{function.Name}/mean", scores.Average()));
        }
        return (rewards, means);
    }
}
