// Preference pairs from the suite: chosen is the right answer, rejected is always wrong, and the
// hardness knob moves rejected from another problem's answer to a one-slip near miss.
using Workbench.Data.Tasks;

namespace Workbench.Data.Tests.Tasks;

public sealed class PreferencePairTests
{
    public static TheoryData<string> Names => [.. TaskSuite.All.Select(t => t.Name)];

    static int EditDistance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Rejected_is_never_the_right_answer_and_the_checker_refuses_it_at_any_hardness(string task)
    {
        var suite = new TaskSuite([task]);
        var problems = suite.Train(2000, 1);
        var checker = TaskSuite.Find(task)!;

        foreach (double hardness in new[] { 0.0, 0.5, 1.0 })
        {
            var pairs = suite.Preferences(problems, hardness, seed: 2);
            Assert.Equal(problems.Count, pairs.Count);
            for (int i = 0; i < pairs.Count; i++)
            {
                Assert.Equal((problems[i].Prompt, problems[i].Answer), (pairs[i].Prompt, pairs[i].Chosen));
                Assert.NotEqual(pairs[i].Chosen, pairs[i].Rejected);
                Assert.False(checker.Check(problems[i].Answer, pairs[i].Rejected));
            }
        }
    }

    [Theory]
    [InlineData("add")]
    [InlineData("multiply")]
    [InlineData("count")]
    public void A_hardness_of_one_gives_a_number_with_one_digit_off_by_one(string task)
    {
        var suite = new TaskSuite([task]);

        foreach (var pair in suite.Preferences(suite.Train(1000, 1), 1.0, 3))
        {
            Assert.Equal(pair.Chosen.Length, pair.Rejected.Length);
            var differ = pair.Chosen.Zip(pair.Rejected).Where(d => d.First != d.Second).ToList();
            Assert.Single(differ);
            Assert.Equal(1, Math.Abs(differ[0].First - differ[0].Second));
            Assert.False(pair.Rejected.Length > 1 && pair.Rejected[0] == '0', $"leading zero in {pair.Rejected}");
        }
    }

    [Theory]
    [InlineData("reverse")]
    [InlineData("uppercase")]
    [InlineData("sort")]
    public void A_hardness_of_one_gives_the_answer_with_two_neighbours_swapped(string task)
    {
        var suite = new TaskSuite([task]);
        char separator = task == "sort" ? ' ' : '\0';

        foreach (var pair in suite.Preferences(suite.Train(1000, 1), 1.0, 3))
        {
            string[] chosen = separator == ' ' ? pair.Chosen.Split(' ') : [.. pair.Chosen.Select(c => c.ToString())];
            string[] rejected = separator == ' ' ? pair.Rejected.Split(' ') : [.. pair.Rejected.Select(c => c.ToString())];
            Assert.Equal(chosen.Order(), rejected.Order());
            var at = Enumerable.Range(0, chosen.Length).Where(i => chosen[i] != rejected[i]).ToList();
            Assert.Equal(2, at.Count);
            Assert.Equal(at[0] + 1, at[1]);
        }
    }

    [Fact]
    public void A_hardness_of_one_in_compare_names_the_smaller_number()
    {
        var suite = new TaskSuite(["compare"]);

        foreach (var pair in suite.Preferences(suite.Train(500, 1), 1.0, 3))
        {
            Assert.Contains($" {pair.Rejected} ", pair.Prompt.Replace("?", " ") + " ");
            Assert.True(System.Numerics.BigInteger.Parse(pair.Rejected) < System.Numerics.BigInteger.Parse(pair.Chosen));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Harder_negatives_lie_closer_to_the_right_answer(string task)
    {
        var suite = new TaskSuite([task]);
        var problems = suite.Train(2000, 1);

        // A count is one character either way, so its distance is the difference of the counts.
        int Distance(PreferencePair p) => task == "count" ? Math.Abs(int.Parse(p.Chosen) - int.Parse(p.Rejected)) : EditDistance(p.Chosen, p.Rejected);
        double MeanDistance(double hardness) => suite.Preferences(problems, hardness, 4).Average(Distance);

        double easy = MeanDistance(0), middle = MeanDistance(0.5), hard = MeanDistance(1);
        if (task == "compare") Assert.True(easy >= hard, $"compare: {easy} at hardness 0, {hard} at 1");
        else Assert.True(easy > middle && middle > hard, $"{task}: mean edit distance {easy}, {middle}, {hard} at hardness 0, 0.5, 1");
    }

    [Fact]
    public void The_same_seed_gives_the_same_pairs_and_hardness_outside_zero_to_one_is_refused()
    {
        var suite = new TaskSuite(["add", "sort"]);
        var problems = suite.Train(200, 1);

        Assert.Equal(suite.Preferences(problems, 0.3, 9), suite.Preferences(problems, 0.3, 9));
        var e = Assert.Throws<DataException>(() => suite.Preferences(problems, 1.5, 9));
        Assert.Contains("hardness 1.5 must lie in [0, 1]", e.Message);
    }
}
