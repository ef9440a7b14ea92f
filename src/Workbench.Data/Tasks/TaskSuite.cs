// The built-in suite of verifiable tasks: problems generated from a seed for a list of task names,
// split into train and held-out by content, preference pairs made from them, and their text for
// pretraining. Everything is drawn from SplitMix64, so a seed gives the same problems everywhere.
using Workbench.Data.Chat;

namespace Workbench.Data.Tasks;

public sealed class TaskSuite
{
    public const int MaxDifficulty = 10;
    public const double DefaultHeldOutFraction = 0.1;

    // Draws one problem may take to land on its side of the split (and, held out, to be new) before
    // the task's problems are taken to be used up: far more than a one-in-ten side ever needs.
    const int MaxDrawsPerProblem = 100_000;

    /// <summary>Every task, in the order the reference lists them.</summary>
    public static readonly IReadOnlyList<VerifiableTask> All =
    [
        ArithmeticTask.Add, ArithmeticTask.Multiply, CompareTask.Instance, WordTransformTask.Reverse,
        WordTransformTask.Uppercase, SortTask.Instance, CountLetterTask.Instance,
    ];

    /// <summary>The task of that name, or null.</summary>
    public static VerifiableTask? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>"add, multiply, ...": for error messages that list what a name could have been.</summary>
    public static string KnownNames => string.Join(", ", All.Select(t => t.Name));

    /// <summary>
    /// The tasks to draw from, in turn; difficulty 1 to <see cref="MaxDifficulty"/>; the fraction of
    /// the problem space (by canonical key) that is held out.
    /// </summary>
    public TaskSuite(IReadOnlyList<string> taskNames, int difficulty = 1, double heldOutFraction = DefaultHeldOutFraction)
    {
        if (taskNames.Count == 0) throw new DataException($"the task list is empty; name at least one of {KnownNames}.");
        var tasks = new List<VerifiableTask>();
        foreach (string name in taskNames)
        {
            var task = Find(name) ?? throw new DataException($"unknown task \"{name}\"; the known tasks are {KnownNames}.");
            if (tasks.Contains(task)) throw new DataException($"task \"{name}\" is listed twice; each task gets an equal share already.");
            tasks.Add(task);
        }
        if (difficulty is < 1 or > MaxDifficulty)
            throw new DataException($"difficulty {difficulty} is outside 1-{MaxDifficulty} (1 is the default: 1-3 digit numbers, words of 3-6 letters).");
        if (!(heldOutFraction is > 0 and < 1))
            throw new DataException($"held-out fraction {heldOutFraction} must lie strictly between 0 and 1.");
        Tasks = tasks;
        Difficulty = difficulty;
        HeldOutFraction = heldOutFraction;
    }

    public IReadOnlyList<VerifiableTask> Tasks { get; }
    public int Difficulty { get; }
    public double HeldOutFraction { get; }

    /// <summary>
    /// Training problems: the same problem may come up more than once, as it would in nature. The first
    /// <paramref name="skip"/> of the seed's training stream are passed over, so a stage can draw problems
    /// that another, trained on <c>Train(skip, seed)</c>, never saw (fresh draws: at difficulty 1 the word
    /// tasks still reuse their few hundred training words). Problem i of the stream is the same whatever the skip.
    /// </summary>
    public IReadOnlyList<TaskProblem> Train(int count, int seed, int skip = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        return skip == 0 ? Generate(count, seed, heldOut: false) : Generate(skip + count, seed, heldOut: false).GetRange(skip, count);
    }

    /// <summary>
    /// Held-out problems, all different: none of them, nor a trivial variant, is ever a training problem.
    /// A task's held-out problems run out (a DataException) where its space is small: at difficulty 1 the
    /// word tasks hold about 40 each (a tenth of the words), so ask for a few hundred in all, not thousands.
    /// </summary>
    public IReadOnlyList<TaskProblem> HeldOut(int count, int seed) => Generate(count, seed, heldOut: true);

    /// <summary>
    /// One pair per problem: chosen is the right answer; rejected is wrong, a near miss with probability
    /// <paramref name="hardness"/> (0 = always obviously wrong, see <see cref="VerifiableTask.FarMiss"/>;
    /// 1 = always a near miss, see <see cref="VerifiableTask.NearMiss"/>).
    /// </summary>
    public IReadOnlyList<PreferencePair> Preferences(IReadOnlyList<TaskProblem> problems, double hardness, int seed)
    {
        if (!(hardness is >= 0 and <= 1)) throw new DataException($"preference hardness {hardness} must lie in [0, 1].");
        var rng = new SplitMix64(seed);
        var pairs = new List<PreferencePair>(problems.Count);
        foreach (var problem in problems)
        {
            var task = Find(problem.Task) ?? throw new ArgumentException($"problem of unknown task \"{problem.Task}\"", nameof(problems));
            string? rejected = rng.NextDouble() < hardness ? task.NearMiss(problem, rng) : null;
            rejected ??= task.FarMiss(problem, rng, Difficulty) ?? task.NearMiss(problem, rng)
                ?? throw new InvalidOperationException($"task {task.Name} found no wrong answer to \"{problem.Prompt}\"");
            pairs.Add(new(problem.Prompt, problem.Answer, rejected));
        }
        return pairs;
    }

    /// <summary>Each problem as a user turn and its answer, followed by &lt;|endoftext|&gt;: text to pretrain a base model on.</summary>
    public static string PretrainingText(IEnumerable<TaskProblem> problems) => ChatTemplate.Corpus(problems.Select(p => p.Conversation));

    /// <summary>
    /// Text holding every character a problem of these tasks can hold (one problem per task in the chat
    /// template, digits, letters in both cases): add it to a char tokenizer's training texts so a held-out
    /// problem never meets a character the train text happened to lack.
    /// </summary>
    public string Alphabet()
    {
        var rng = new SplitMix64(0);
        return PretrainingText(Tasks.Select(t => t.Generate(rng, Difficulty)))
            + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    }

    // Problem i comes from task i mod k, so each task gets an equal share. Train and held-out draw from
    // two streams of one seed, so asking for more of one never changes the other.
    List<TaskProblem> Generate(int count, int seed, bool heldOut)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var seeds = new SplitMix64(seed);
        ulong trainSeed = seeds.Next(), heldOutSeed = seeds.Next();
        var rng = new SplitMix64(heldOut ? heldOutSeed : trainSeed);
        var seen = new HashSet<string>();
        var problems = new List<TaskProblem>(count);
        for (int i = 0; i < count; i++)
        {
            var task = Tasks[i % Tasks.Count];
            for (int draw = 0; ; draw++)
            {
                if (draw == MaxDrawsPerProblem)
                    throw new DataException(
                        $"task {task.Name} at difficulty {Difficulty} ran out of {(heldOut ? "distinct held-out" : "train")} problems " +
                        $"after {problems.Count(p => p.Task == task.Name)}; ask for fewer, raise the difficulty or change the held-out fraction.");
                var problem = task.Generate(rng, Difficulty);
                if (HeldOutSplit.IsHeldOut(problem.Key, HeldOutFraction) != heldOut) continue;
                if (heldOut && !seen.Add(problem.Key)) continue;
                problems.Add(problem);
                break;
            }
        }
        return problems;
    }
}
