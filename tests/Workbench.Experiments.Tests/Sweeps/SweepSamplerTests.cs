// The samplers: a grid covers its product exactly once, random repeats by seed, and TPE follows
// Optuna's definition (startup phase, gamma, constant liar) and finds a 1-D optimum far more often
// than random search does. Everything is seeded: no test depends on time or chance.
using Workbench.Experiments.Sweeps;
using Workbench.Tracking;

namespace Workbench.Experiments.Tests.Sweeps;

public sealed class SweepSamplerTests
{
    private static readonly SweepParameter X = new("x", ParameterKind.Uniform, null, -5, 5);

    private static SweepDefinition Sweep(SweepMethod method, long seed, params SweepParameter[] parameters) => new(
        "sweep.yaml", "spec.yaml", [], method, new SweepMetric("val/loss", MetricGoal.Min), parameters, [1],
        new SweepBudget(100, null, null), null, 1, seed, "hash");

    private static TrialObservation Done(int number, double x, double score) =>
        new(number, new Dictionary<string, object> { ["x"] = x }, TrialState.Completed, score);

    [Fact]
    public void A_grid_covers_the_product_exactly_once_in_order_then_is_exhausted()
    {
        // Given a 3 x 2 grid
        var sweep = Sweep(SweepMethod.Grid, 0,
            new SweepParameter("train.batch_size", ParameterKind.Values, [32L, 64L, 128L], 0, 0),
            new SweepParameter("model.activation", ParameterKind.Values, ["relu", "tanh"], 0, 0));
        var sampler = SweepSampler.Create(sweep);

        // When trials 0..6 ask for their parameters
        var points = Enumerable.Range(0, 7).Select(n => sampler.Suggest([], n)).ToList();

        // Then the first six are the six points, the last parameter fastest, and the seventh gets none
        Assert.Equal(6L, sweep.GridSize);
        Assert.Equal(
            ["32 relu", "32 tanh", "64 relu", "64 tanh", "128 relu", "128 tanh"],
            points.Take(6).Select(p => $"{p!["train.batch_size"]} {p["model.activation"]}"));
        Assert.Null(points[6]);
    }

    [Fact]
    public void A_random_sweep_repeats_by_seed_and_draws_within_each_range()
    {
        // Given one parameter of each kind
        SweepParameter[] parameters =
        [
            new("lr", ParameterKind.LogUniform, null, 1e-5, 1e-1),
            new("wd", ParameterKind.Uniform, null, 0, 0.1),
            new("accum", ParameterKind.IntUniform, null, 1, 4),
            new("opt", ParameterKind.Values, ["sgd", "adam"], 0, 0),
        ];

        // When two samplers with the same seed and one with another suggest 200 trials each
        IReadOnlyDictionary<string, object> Draw(long seed, int n) => SweepSampler.Create(Sweep(SweepMethod.Random, seed, parameters)).Suggest([], n)!;
        var first = Enumerable.Range(0, 200).Select(n => Draw(3, n)).ToList();
        var again = Enumerable.Range(0, 200).Select(n => Draw(3, n)).ToList();
        var other = Enumerable.Range(0, 200).Select(n => Draw(4, n)).ToList();

        // Then the same seed gives the same trials, another seed others, and every draw is in range
        Assert.Equal(first.Select(SweepText), again.Select(SweepText));
        Assert.NotEqual(first.Select(SweepText), other.Select(SweepText));
        Assert.All(first, p => Assert.InRange((double)p["lr"], 1e-5, 1e-1));
        Assert.All(first, p => Assert.InRange((double)p["wd"], 0, 0.1));
        Assert.Equal([1L, 2L, 3L, 4L], first.Select(p => (long)p["accum"]).Distinct().Order());
        Assert.Equal(["adam", "sgd"], first.Select(p => (string)p["opt"]).Distinct().Order());
        // log_uniform spreads over the decades: about a quarter of the draws in each
        Assert.InRange(first.Count(p => (double)p["lr"] < 1e-4), 30, 70);
    }

    private static string SweepText(IReadOnlyDictionary<string, object> p) =>
        string.Join(" ", p.Select(kv => $"{kv.Key}={SweepValue.Format(kv.Value)}"));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(10, 1)]
    [InlineData(11, 2)]
    [InlineData(100, 10)]
    [InlineData(241, 25)]
    [InlineData(1000, 25)]
    public void Tpe_models_the_good_region_with_the_best_tenth_of_trials_up_to_25(int finished, int good) =>
        Assert.Equal(good, TpeSampler.Gamma(finished));

    [Fact]
    public void Tpe_draws_at_random_until_ten_trials_have_finished()
    {
        // Given nine finished trials (a running and a failed one do not count)
        var trials = Enumerable.Range(0, 9).Select(n => Done(n, n - 4.0, n)).ToList<TrialObservation>();
        trials.Add(new TrialObservation(9, new Dictionary<string, object> { ["x"] = 0.0 }, TrialState.Running));
        trials.Add(new TrialObservation(10, new Dictionary<string, object> { ["x"] = 0.0 }, TrialState.Failed));
        var tpe = SweepSampler.Create(Sweep(SweepMethod.Tpe, 5, X));
        var random = SweepSampler.Create(Sweep(SweepMethod.Random, 5, X));

        // When trial 11 asks, and again once a tenth trial has finished
        var startup = tpe.Suggest(trials, 11)!;
        var modelled = tpe.Suggest([.. trials, Done(12, 4.5, 99)], 13)!;

        // Then the first is the random sampler's draw for the same seed and trial; the second is not
        Assert.Equal(random.Suggest([], 11)!["x"], startup["x"]);
        Assert.NotEqual(random.Suggest([], 13)!["x"], modelled["x"]);
    }

    [Fact]
    public void Tpe_takes_the_best_completed_trials_as_good_and_leaves_pruned_and_running_ones_with_the_rest()
    {
        // Given 20 completed trials (score = number), two pruned, and one running
        var trials = Enumerable.Range(0, 20).Select(n => Done(n, 0, n)).ToList<TrialObservation>();
        trials.Add(new TrialObservation(20, new Dictionary<string, object>(), TrialState.Pruned, null, new Dictionary<long, double> { [10] = 0.1 }));
        trials.Add(new TrialObservation(21, new Dictionary<string, object>(), TrialState.Pruned, null, new Dictionary<long, double> { [10] = 0.5, [30] = 0.9 }));
        trials.Add(new TrialObservation(22, new Dictionary<string, object>(), TrialState.Running));

        // When they are split for a minimised metric, and for a maximised one
        var (good, others) = TpeSampler.Split(trials, MetricGoal.Min);
        var (goodMax, _) = TpeSampler.Split(trials, MetricGoal.Max);

        // Then gamma(22) = 3 best completed trials are good, the rest (pruned and running too) are not
        Assert.Equal([0, 1, 2], good.Select(t => t.Number));
        Assert.Equal(Enumerable.Range(3, 20), others.Select(t => t.Number));
        Assert.Equal([17, 18, 19], goodMax.Select(t => t.Number));
    }

    [Fact]
    public void With_more_good_places_than_completed_trials_the_pruned_ones_that_got_furthest_fill_them()
    {
        // Given one completed trial and ten pruned: nine at step 10 (values 0.1 to 0.9), one at step 30 (value 5)
        var trials = new List<TrialObservation> { Done(0, 0, 7) };
        trials.AddRange(Enumerable.Range(1, 9).Select(n => new TrialObservation(n, new Dictionary<string, object>(), TrialState.Pruned, null,
            new Dictionary<long, double> { [10] = n / 10.0 })));
        trials.Add(new TrialObservation(10, new Dictionary<string, object>(), TrialState.Pruned, null, new Dictionary<long, double> { [10] = 0.5, [30] = 5 }));

        // When they are split: gamma(11) = 2 good places
        var (good, _) = TpeSampler.Split(trials, MetricGoal.Min);

        // Then the completed trial and the one pruned furthest in are good, though its value is the worst
        Assert.Equal([0, 10], good.Select(t => t.Number));
    }

    [Fact]
    public void The_constant_liar_steers_the_next_suggestion_away_from_trials_in_flight()
    {
        // Given ten finished trials of (x - 1.3)^2 and a sampler past its startup
        var trials = Enumerable.Range(0, 10).Select(n => Done(n, -4.5 + n, Math.Pow(-4.5 + n - 1.3, 2))).ToList<TrialObservation>();
        var tpe = SweepSampler.Create(Sweep(SweepMethod.Tpe, 11, X));
        var alone = (double)tpe.Suggest(trials, 13)!["x"];

        // When two trials are in flight at that very point (one running, one pending)
        var inFlight = new[] { TrialState.Running, TrialState.Pending }
            .Select((state, i) => new TrialObservation(10 + i, new Dictionary<string, object> { ["x"] = alone }, state));
        var withLiar = (double)tpe.Suggest([.. trials, .. inFlight], 13)!["x"];

        // Then the suggestion moves away: the same candidates are drawn, but the points in flight count as bad ones
        Assert.True(Math.Abs(withLiar - alone) > 0.05, $"alone {alone}, with trials in flight there {withLiar}");
    }

    [Fact]
    public void Tpe_concentrates_near_the_optimum_of_a_quadratic_far_more_than_random_search()
    {
        // Given 60 trials of (x - 1.3)^2 on [-5, 5] for each of five sweep seeds, run one after another
        int Near(SweepMethod method)
        {
            var near = 0;
            for (var seed = 0; seed < 5; seed++)
            {
                var sampler = SweepSampler.Create(Sweep(method, seed, X));
                var trials = new List<TrialObservation>();
                for (var n = 0; n < 60; n++)
                {
                    var x = (double)sampler.Suggest(trials, n)!["x"];
                    trials.Add(Done(n, x, (x - 1.3) * (x - 1.3)));
                    if (n >= 30 && Math.Abs(x - 1.3) < 0.5) near++;
                }
            }
            return near;
        }

        // When the last 30 trials of each are counted within 0.5 of the optimum (a tenth of the range)
        var tpe = Near(SweepMethod.Tpe);
        var random = Near(SweepMethod.Random);

        // Then random lands there about a tenth of the time and TPE several times as often
        Assert.InRange(random, 5, 30);
        Assert.True(tpe > 3 * random, $"tpe {tpe} vs random {random} of 150 trials near the optimum");
    }
}
