// Each task's problems, read back from their prompts and solved here independently (BigInteger,
// LINQ): the answers are right, trivial variants share a key, difficulty 1 stays small, and the
// checker takes the right answer and nothing else.
using System.Numerics;
using System.Text.RegularExpressions;
using Workbench.Data.Tasks;

namespace Workbench.Data.Tests.Tasks;

public sealed class TaskAnswerTests
{
    /// <summary>The answer and the canonical content, both worked out from the prompt alone.</summary>
    static (string Answer, string Content) Solve(TaskProblem problem)
    {
        Match Parse(string pattern)
        {
            var m = Regex.Match(problem.Prompt, pattern);
            Assert.True(m.Success, $"{problem.Task} prompt \"{problem.Prompt}\" does not read as {pattern}");
            return m;
        }
        string Pair(BigInteger a, BigInteger b) => a < b ? $"{a} {b}" : $"{b} {a}";
        switch (problem.Task)
        {
            case "add" or "multiply":
            {
                var m = Parse(problem.Task == "add" ? @"^What is (\d+) \+ (\d+)\?$" : @"^What is (\d+) \* (\d+)\?$");
                var (a, b) = (BigInteger.Parse(m.Groups[1].Value), BigInteger.Parse(m.Groups[2].Value));
                return ((problem.Task == "add" ? a + b : a * b).ToString(), Pair(a, b));
            }
            case "compare":
            {
                var m = Parse(@"^Which is larger: (\d+) or (\d+)\?$");
                var (a, b) = (BigInteger.Parse(m.Groups[1].Value), BigInteger.Parse(m.Groups[2].Value));
                Assert.NotEqual(a, b);
                return (BigInteger.Max(a, b).ToString(), Pair(a, b));
            }
            case "reverse":
            {
                string word = Parse("^Reverse the word: ([a-z]+)$").Groups[1].Value;
                return (string.Concat(word.Reverse()), word);
            }
            case "uppercase":
            {
                string word = Parse("^Uppercase the word: ([a-z]+)$").Groups[1].Value;
                return (word.ToUpperInvariant(), word);
            }
            case "sort":
            {
                string[] words = Parse("^Sort the words: ([a-z ]+)$").Groups[1].Value.Split(' ');
                Assert.Equal(words.Length, words.Distinct().Count());
                string sorted = string.Join(' ', words.OrderBy(w => w, StringComparer.Ordinal));
                return (sorted, sorted);
            }
            case "count":
            {
                var m = Parse("^Count the letter ([a-z]) in: ([a-z]+)$");
                char letter = m.Groups[1].Value[0];
                string word = m.Groups[2].Value;
                return (word.Count(c => c == letter).ToString(), $"{word} {letter}");
            }
            default:
                throw new InvalidOperationException($"no independent solver for task {problem.Task}");
        }
    }

    static IReadOnlyList<TaskProblem> Problems(string task, int difficulty = 1, int count = 3000) =>
        new TaskSuite([task], difficulty).Train(count, seed: 11);

    public static TheoryData<string> Names => [.. TaskSuite.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_answer_is_what_an_independent_solution_of_the_prompt_gives(string task)
    {
        foreach (int difficulty in new[] { 1, 4, TaskSuite.MaxDifficulty })
            foreach (var problem in Problems(task, difficulty, 1000))
                Assert.Equal(Solve(problem).Answer, problem.Answer);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Problems_with_the_same_content_share_a_key_and_different_ones_never_do(string task)
    {
        // Held-out problems too, so both sides of the split are covered; 1-digit operands make swaps common.
        var suite = new TaskSuite([task]);
        var problems = suite.Train(5000, 3).Concat(suite.HeldOut(30, 3)).ToList();

        var keysByContent = problems.GroupBy(p => Solve(p).Content).ToDictionary(g => g.Key, g => g.Select(p => p.Key).Distinct().ToList());

        Assert.All(keysByContent.Values, keys => Assert.Single(keys));
        Assert.Equal(keysByContent.Count, problems.Select(p => p.Key).Distinct().Count());
    }

    [Fact]
    public void Swapped_operands_and_reordered_words_are_in_fact_generated_and_share_their_key()
    {
        var problems = new TaskSuite(["add", "sort"]).Train(20_000, 5);

        var variants = problems.GroupBy(p => p.Key).Where(g => g.Select(p => p.Prompt).Distinct().Count() > 1).ToList();

        Assert.Contains(variants, g => g.First().Task == "add");
        Assert.Contains(variants, g => g.First().Task == "sort");
    }

    [Fact]
    public void Difficulty_one_keeps_numbers_to_three_digits_and_words_to_three_to_six_letters()
    {
        var problems = new TaskSuite([.. TaskSuite.All.Select(t => t.Name)]).Train(7000, 1);

        foreach (var p in problems)
        {
            foreach (Match n in Regex.Matches(p.Prompt, "[0-9]+")) Assert.InRange(n.Length, 1, 3);
            foreach (Match w in Regex.Matches(p.Prompt, "(?<=: |: [a-z ]* )[a-z]{2,}")) Assert.InRange(w.Length, 3, 6);
        }
        Assert.All(problems.Where(p => p.Task == "multiply"), p => Assert.Matches(@"^What is \d{1,2} \* \d{1,2}\?$", p.Prompt));
        Assert.All(problems.Where(p => p.Task == "sort"), p => Assert.InRange(p.Answer.Split(' ').Length, 2, 3));
    }

    [Fact]
    public void A_higher_difficulty_draws_longer_numbers_words_and_lists()
    {
        var problems = new TaskSuite(["add", "reverse", "sort"], difficulty: 4).Train(3000, 1);

        Assert.Contains(problems, p => p.Task == "add" && Regex.IsMatch(p.Prompt, "[0-9]{6}"));
        Assert.Contains(problems, p => p.Task == "reverse" && p.Answer.Length > 6);
        Assert.Contains(problems, p => p.Task == "sort" && p.Answer.Split(' ').Length == 6);
        Assert.DoesNotContain(problems, p => p.Task == "sort" && p.Answer.Split(' ').Length > 6);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_checker_takes_the_answer_with_surrounding_whitespace_and_refuses_anything_else(string task)
    {
        var checker = TaskSuite.Find(task)!;
        foreach (var p in Problems(task, count: 200))
        {
            Assert.True(checker.Check(p.Answer, p.Answer));
            Assert.True(checker.Check(p.Answer, $" {p.Answer}\n"));
            Assert.False(checker.Check(p.Answer, p.Answer + "0"));
            Assert.False(checker.Check(p.Answer, ""));
            Assert.False(checker.Check(p.Answer, p.Answer[..^1]));
        }
    }

    [Fact]
    public void Numbers_are_compared_as_written()
    {
        var add = TaskSuite.Find("add")!;

        Assert.False(add.Check("7", "07"));
        Assert.False(add.Check("7", "7.0"));
        Assert.False(TaskSuite.Find("uppercase")!.Check("APPLE", "apple"));
    }

    [Fact]
    public void The_word_list_holds_hundreds_of_distinct_lowercase_words_of_three_to_ten_letters()
    {
        Assert.InRange(WordList.Words.Count, 300, 1000);
        Assert.Equal(WordList.Words.Count, WordList.Words.Distinct().Count());
        Assert.All(WordList.Words, w => Assert.Matches("^[a-z]{3,10}$", w));
        Assert.InRange(WordList.Words.Count(w => w.Length <= 6), 300, 1000);
    }
}
