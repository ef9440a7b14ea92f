// The ways a user names a run: id, unique id prefix, name, name@latest, name@best.
namespace Workbench.Tracking.Tests;

public class RunReferenceTests : IDisposable
{
    private readonly TestDatabase _db;

    public RunReferenceTests() : this(new TestDatabase()) { }

    protected RunReferenceTests(TestDatabase db) => _db = db;

    public void Dispose() => _db.Dispose();

    [SkippableFact]
    public void An_id_and_a_unique_id_prefix_resolve_to_that_run()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());

        Assert.Equal(run.Id, store.Resolve(run.Id).Id);
        Assert.Equal(run.Id, store.Resolve(run.Id[..3]).Id);
    }

    [SkippableFact]
    public void An_ambiguous_prefix_is_an_error_listing_every_candidate()
    {
        using var store = _db.Open();
        // 37 runs over a 36-character alphabet: at least two share their first character.
        var ids = Enumerable.Range(0, 37).Select(_ => store.CreateRun(TestDatabase.Run()).Id).ToList();
        var shared = ids.GroupBy(id => id[..1]).First(g => g.Count() > 1);

        var e = Assert.Throws<AmbiguousRunReferenceException>(() => store.Resolve(shared.Key));

        Assert.Equal(shared.Order(StringComparer.Ordinal), e.Candidates);
        Assert.All(shared, id => Assert.Contains(id, e.Message));
    }

    [SkippableFact]
    public void A_name_and_name_at_latest_resolve_to_the_newest_run_of_that_name()
    {
        using var store = _db.Open();
        store.CreateRun(TestDatabase.Run("mnist-mlp"));
        _db.Clock.Advance(TimeSpan.FromMinutes(1));
        var newest = store.CreateRun(TestDatabase.Run("mnist-mlp"));
        _db.Clock.Advance(TimeSpan.FromMinutes(1));
        store.CreateRun(TestDatabase.Run("mnist-cnn"));

        Assert.Equal(newest.Id, store.Resolve("mnist-mlp").Id);
        Assert.Equal(newest.Id, store.Resolve("mnist-mlp@latest").Id);
    }

    [SkippableTheory]
    [InlineData(MetricGoal.Max, 1)]
    [InlineData(MetricGoal.Min, 0)]
    public void Name_at_best_picks_the_run_with_the_best_summary_value_for_its_goal(MetricGoal goal, int expectedIndex)
    {
        using var store = _db.Open();
        var values = new[] { 0.2, 0.9, 0.5 };
        var runs = values.Select(v =>
        {
            _db.Clock.Advance(TimeSpan.FromMinutes(1));
            var run = store.CreateRun(TestDatabase.Run("sweep", "val/loss", goal));
            store.Finish(run.Id, RunStatus.Finished, new Dictionary<string, double> { ["val/loss"] = v }, null);
            return run;
        }).ToList();
        // A newer run without the metric yet, and a diverged one with NaN, never count as best.
        _db.Clock.Advance(TimeSpan.FromMinutes(1));
        var nan = store.CreateRun(TestDatabase.Run("sweep", "val/loss", goal));
        store.Finish(nan.Id, RunStatus.Diverged, new Dictionary<string, double> { ["val/loss"] = double.NaN }, "NaN");
        _db.Clock.Advance(TimeSpan.FromMinutes(1));
        store.CreateRun(TestDatabase.Run("sweep", "val/loss", goal));

        Assert.Equal(runs[expectedIndex].Id, store.Resolve("sweep@best").Id);
    }

    [SkippableFact]
    public void Name_at_best_without_any_summary_value_says_which_metric_is_missing()
    {
        using var store = _db.Open();
        store.CreateRun(TestDatabase.Run("fresh", "val/acc"));

        var e = Assert.Throws<RunNotFoundException>(() => store.Resolve("fresh@best"));

        Assert.Contains("'val/acc'", e.Message);
    }

    [SkippableTheory]
    [InlineData("nosuchrun")]
    [InlineData("nosuchrun@latest")]
    [InlineData("nosuchrun@best")]
    [InlineData("mnist-mlp@first")]
    [InlineData("   ")]
    public void An_unknown_reference_throws_run_not_found_with_a_clear_message(string reference)
    {
        using var store = _db.Open();
        store.CreateRun(TestDatabase.Run("mnist-mlp"));

        var e = Assert.Throws<RunNotFoundException>(() => store.Resolve(reference));

        Assert.Equal(reference, e.Reference);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        if (reference.Trim().Length > 0)
        {
            Assert.Contains(reference, e.Message);
        }
    }
}

/// <summary>The same tests on PostgreSQL (skipped where the test server cannot start).</summary>
public sealed class RunReferenceTestsOnPostgres() : RunReferenceTests(TestDatabase.Postgres());
