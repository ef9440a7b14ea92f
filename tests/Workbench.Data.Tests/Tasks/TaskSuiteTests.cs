// The suite as a data source: the same seed gives the same problems, held-out problems never leak
// into train (for any seed), each task gets its share, and bad task lists say what is known.
using Workbench.Data.Chat;
using Workbench.Data.Tasks;
using Workbench.Data.Tokenizers;

namespace Workbench.Data.Tests.Tasks;

public sealed class TaskSuiteTests
{
    static readonly string[] AllNames = [.. TaskSuite.All.Select(t => t.Name)];

    [Fact]
    public void The_same_seed_gives_the_same_problems_and_another_seed_others()
    {
        var suite = new TaskSuite(AllNames);

        Assert.Equal(suite.Train(500, 7), new TaskSuite(AllNames).Train(500, 7));
        Assert.Equal(suite.HeldOut(100, 7), suite.HeldOut(100, 7));
        Assert.NotEqual(suite.Train(500, 7), suite.Train(500, 8));
        Assert.NotEqual(suite.HeldOut(100, 7), suite.HeldOut(100, 8));
    }

    [Fact]
    public void The_problems_of_a_seed_are_pinned_so_they_never_drift_between_machines_or_versions()
    {
        var problems = new TaskSuite(["add", "sort"]).Train(2, 1);

        Assert.Equal(
            [
                new TaskProblem("add", "What is 723 + 399?", "1122", "add:399,723"),
                new TaskProblem("sort", "Sort the words: corn eagle brush", "brush corn eagle", "sort:brush corn eagle"),
            ],
            problems);
    }

    [Fact]
    public void No_held_out_problem_or_trivial_variant_appears_in_train_for_any_seed()
    {
        var suite = new TaskSuite(AllNames);
        var trainKeys = new[] { 1, 2, 3 }.SelectMany(seed => suite.Train(10_000, seed)).Select(p => p.Key).ToHashSet();

        var heldOut = new[] { 1, 2 }.SelectMany(seed => suite.HeldOut(140, seed)).ToList();

        Assert.DoesNotContain(heldOut, p => trainKeys.Contains(p.Key));
        Assert.All(heldOut, p => Assert.True(HeldOutSplit.IsHeldOut(p.Key, suite.HeldOutFraction)));
        Assert.All(trainKeys, k => Assert.False(HeldOutSplit.IsHeldOut(k, suite.HeldOutFraction)));
    }

    [Fact]
    public void Held_out_problems_are_all_different_and_about_the_held_out_fraction_of_keys_is_held_out()
    {
        var heldOut = new TaskSuite(AllNames).HeldOut(140, 4);

        Assert.Equal(heldOut.Count, heldOut.Select(p => p.Key).Distinct().Count());
        double share = Enumerable.Range(0, 20_000).Count(i => HeldOutSplit.IsHeldOut($"add:{i},{i + 1}", 0.1)) / 20_000.0;
        Assert.InRange(share, 0.09, 0.11);
    }

    [Fact]
    public void Skipping_problems_continues_the_same_stream_so_a_later_stage_gets_draws_an_earlier_one_never_saw()
    {
        var suite = new TaskSuite(["compare", "count"]);
        var first = suite.Train(1_000, 3);

        var later = suite.Train(1_000, 3, skip: 1_000);

        Assert.Equal(suite.Train(2_000, 3).Skip(1_000), later);
        Assert.Equal(first, suite.Train(1_000, 3, skip: 0));
        // Compare's pairs of 1-3 digit numbers repeat when one is small, yet most later compare problems are new.
        var seen = first.Select(p => p.Key).ToHashSet();
        var fresh = later.Where(p => p.Task == "compare").Count(p => !seen.Contains(p.Key));
        Assert.True(fresh >= 300, $"{fresh} of 500 later compare problems are new");
        Assert.Throws<ArgumentOutOfRangeException>(() => suite.Train(10, 3, skip: -1));
    }

    [Fact]
    public void Each_task_gets_an_equal_share_in_the_order_listed()
    {
        var problems = new TaskSuite(["count", "add", "reverse"]).Train(9, 2);

        Assert.Equal(["count", "add", "reverse", "count", "add", "reverse", "count", "add", "reverse"], problems.Select(p => p.Task));
    }

    [Fact]
    public void Asking_for_more_distinct_held_out_problems_than_a_task_has_says_so()
    {
        var e = Assert.Throws<DataException>(() => new TaskSuite(["reverse"]).HeldOut(2000, 1));

        Assert.Contains("task reverse at difficulty 1 ran out of distinct held-out problems", e.Message);
    }

    [Theory]
    [InlineData(new[] { "add", "divide" }, "unknown task \"divide\"; the known tasks are add, multiply, compare, reverse, uppercase, sort, count.")]
    [InlineData(new string[0], "the task list is empty")]
    [InlineData(new[] { "add", "add" }, "task \"add\" is listed twice")]
    public void A_bad_task_list_is_refused_with_the_known_tasks(string[] names, string message)
    {
        var e = Assert.Throws<DataException>(() => new TaskSuite(names));
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData(0, 0.1, "difficulty 0 is outside 1-10")]
    [InlineData(11, 0.1, "difficulty 11 is outside 1-10")]
    [InlineData(1, 0.0, "held-out fraction 0 must lie strictly between 0 and 1")]
    [InlineData(1, 1.0, "held-out fraction 1 must lie strictly between 0 and 1")]
    public void Difficulty_and_held_out_fraction_out_of_range_are_refused(int difficulty, double fraction, string message)
    {
        var e = Assert.Throws<DataException>(() => new TaskSuite(["add"], difficulty, fraction));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Pretraining_text_is_the_train_problems_in_the_chat_template_each_ended_by_end_of_text()
    {
        var train = new TaskSuite(["add", "reverse"]).Train(50, 3);

        string text = TaskSuite.PretrainingText(train);

        string[] documents = text.Split(SpecialTokens.EndOfText);
        Assert.Equal(51, documents.Length);
        Assert.Equal("", documents[^1]);
        Assert.Equal(ChatTemplate.Render(train[0].Conversation), documents[0]);
        Assert.Equal($"<|im_start|>user\n{train[1].Prompt}<|im_end|>\n<|im_start|>assistant\n{train[1].Answer}<|im_end|>\n", documents[1]);
    }

    [Fact]
    public void A_char_tokenizer_trained_on_the_alphabet_and_train_text_meets_no_unknown_character_in_held_out_problems()
    {
        var suite = new TaskSuite(AllNames, difficulty: 3);
        var tok = CharTokenizer.TrainForChat([suite.Alphabet(), TaskSuite.PretrainingText(suite.Train(100, 1))]);

        tok.Encode(TaskSuite.PretrainingText(suite.HeldOut(200, 1)), allowSpecial: true, out int unseen);

        Assert.Equal(0, unseen);
    }

    [Fact]
    public void The_prompt_a_model_answers_is_exactly_where_its_trained_answer_begins()
    {
        var suite = new TaskSuite(AllNames);
        var template = new ChatTemplate(CharTokenizer.TrainForChat([suite.Alphabet()]));

        foreach (var problem in suite.HeldOut(70, 2))
        {
            int[] prompt = template.EncodePrompt(problem.Question);
            var trained = template.Encode(problem.Conversation);

            // Sampling from the prompt sees what SFT saw before the first trained token: what it learned applies.
            int firstTrained = Array.IndexOf(trained.Trained, true);
            Assert.Equal(trained.Ids[..firstTrained], prompt);
        }
    }

    [Fact]
    public void The_chat_form_of_the_default_suite_stays_short_enough_for_a_small_character_model()
    {
        var suite = new TaskSuite(AllNames);
        var tok = CharTokenizer.TrainForChat([suite.Alphabet()]);
        var template = new ChatTemplate(tok);

        int longest = suite.Train(2000, 1).Max(p => template.Encode(p.Conversation).Length);

        Assert.InRange(longest, 20, 96);
    }
}
