// What every task of the suite provides: a seeded generator scaled by difficulty, an exact-match
// checker, and plausible wrong answers for preference pairs.
namespace Workbench.Data.Tasks;

public abstract class VerifiableTask
{
    protected VerifiableTask(string name) => Name = name;

    /// <summary>The name a spec's data.tasks and an RL file's "task" field use.</summary>
    public string Name { get; }

    /// <summary>
    /// Draws one problem. <paramref name="difficulty"/> (1 = the default, learnable by a small character
    /// model in minutes) scales digits, word lengths and word counts up.
    /// </summary>
    public abstract TaskProblem Generate(SplitMix64 rng, int difficulty);

    /// <summary>
    /// A wrong answer one small slip away from the right one (one digit off by one, two adjacent letters
    /// swapped, two adjacent words swapped, the other number), or null when the answer allows none.
    /// </summary>
    public abstract string? NearMiss(TaskProblem problem, SplitMix64 rng);

    /// <summary>
    /// An obviously wrong answer: by default the answer to another problem of this task, which has the
    /// right form but no relation to the question; null when a few draws find none that differs.
    /// </summary>
    public virtual string? FarMiss(TaskProblem problem, SplitMix64 rng, int difficulty)
    {
        for (int draw = 0; draw < 100; draw++)
        {
            string answer = Generate(rng, difficulty).Answer;
            if (answer != problem.Answer) return answer;
        }
        return null;
    }

    /// <summary>
    /// Exact match after trimming whitespace. Numbers are compared as written: "07" is not "7".
    /// Every task checks this way; the checker is named by the task so a file can say which applies.
    /// </summary>
    public bool Check(string answer, string response) =>
        string.Equals(answer.Trim(), response.Trim(), StringComparison.Ordinal);
}
