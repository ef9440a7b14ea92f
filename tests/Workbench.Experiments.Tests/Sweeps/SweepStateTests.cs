// What a sweep keeps in the store and reads back: its definition (so an agent anywhere needs no sweep
// file), its trials' parameters and rung values as samplers and pruning see them, and its deadline.
using Workbench.Experiments.Sweeps;
using Workbench.Experiments.Tests.Specs;
using Workbench.Tracking;

namespace Workbench.Experiments.Tests.Sweeps;

public sealed class SweepStateTests : IDisposable
{
    private readonly SpecFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_stored_definition_reads_back_as_the_loaded_one_with_each_value_of_its_own_type()
    {
        // Given a sweep with every kind of parameter, a list value, a budget and a pruning rule
        _folder.Write("base.yaml", """
            name: base
            seed: 9
            device: cpu
            data: {dataset: mnist, split: {val: 0.1}}
            model: {kind: mlp, hidden: [32]}
            train: {optimizer: {name: adam, lr: 1.0e-3}, batch_size: 64, max_steps: 300, eval: {every: 50}}
            """);
        var loaded = SweepLoader.Load(_folder.Write("sweep.yaml", """
            spec: base.yaml
            set: {train.max_steps: 200}
            method: tpe
            metric: {name: val/acc, goal: max}
            parameters:
              train.optimizer.lr: {distribution: log_uniform, min: 1.0e-4, max: 1.0e-2}
              model.hidden: {values: [[16], [32, 16]]}
              train.batch_size: {values: [32, 64]}
              train.grad_accum: {distribution: int_uniform, min: 1, max: 4}
            seeds: [1, 2]
            budget: {trials: 12, hours: 8, until: "07:00"}
            early_terminate: {type: asha, min_steps: 50, reduction_factor: 3}
            retries: 2
            seed: 7
            """));

        // When it is stored and read back
        var read = SweepDefinitionJson.Read(SweepDefinitionJson.Write(loaded));

        // Then everything is there, and a list is still a list and a whole number still a long
        Assert.Equal(SweepDefinitionJson.Write(loaded), SweepDefinitionJson.Write(read));
        Assert.Equal(loaded with { Set = read.Set, Parameters = read.Parameters, Seeds = read.Seeds }, read);
        Assert.Equal(loaded.Set, read.Set);
        Assert.Equal(loaded.Seeds, read.Seeds);
        Assert.Equal(new EarlyTerminate(PruningRule.Asha, 50, 3), read.EarlyTerminate);
        Assert.Equal(new TimeOnly(7, 0), read.Budget.Until);
        Assert.IsType<long>(read.Parameters.Single(p => p.Path == "train.batch_size").Values![0]);
        Assert.Equal(loaded.TrialOverrides(Suggestion(), 1), read.TrialOverrides(Suggestion(), 1));
    }

    [Fact]
    public void Stored_trials_give_samplers_their_parameters_states_scores_and_rung_values()
    {
        var parameters = SweepTrials.ParametersJson(Suggestion());
        var trials = new[]
        {
            Trial(0, parameters, TrialStatus.Completed, 0.91),
            Trial(1, parameters, TrialStatus.Pruned, 0.42),
            Trial(2, parameters, TrialStatus.Running, null),
        };

        var observed = SweepTrials.Observe(trials, [new RungRecord(1, 50, 0.40), new RungRecord(1, 150, 0.42), new RungRecord(2, 50, 0.5)]);

        Assert.Equal([TrialState.Completed, TrialState.Pruned, TrialState.Running], observed.Select(t => t.State));
        Assert.Equal(0.91, observed[0].Score);
        Assert.Empty(observed[0].Reported);
        Assert.Equal(new Dictionary<long, double> { [50] = 0.40, [150] = 0.42 }, observed[1].Reported);
        Assert.Equal(Suggestion().Select(p => SweepValue.Format(p.Value)), observed[2].Parameters.Values.Select(SweepValue.Format));
    }

    [Theory]
    [InlineData("2025-03-01T23:00:00Z", null, "07:00", "2025-03-02T07:00:00Z")]   // until: the next 07:00
    [InlineData("2025-03-01T06:00:00Z", null, "07:00", "2025-03-01T07:00:00Z")]   // later the same day
    [InlineData("2025-03-01T23:00:00Z", 2.0, "07:00", "2025-03-02T01:00:00Z")]    // hours ends first
    [InlineData("2025-03-01T23:00:00Z", 10.0, "07:00", "2025-03-02T07:00:00Z")]   // until ends first
    public void A_deadline_is_the_first_of_hours_after_the_start_and_the_next_until(string now, double? hours, string until, string expected)
    {
        var deadline = SweepDeadline.Of(new SweepBudget(null, hours, TimeOnly.Parse(until)), DateTime.Parse(now).ToUniversalTime(), TimeZoneInfo.Utc);

        Assert.Equal(DateTime.Parse(expected).ToUniversalTime(), deadline);
        Assert.Null(SweepDeadline.Of(new SweepBudget(12, null, null), DateTime.UtcNow));
    }

    private static Dictionary<string, object> Suggestion() => new()
    {
        ["train.optimizer.lr"] = 3.0e-4,
        ["model.hidden"] = new List<object> { 32L, 16L },
        ["train.batch_size"] = 64L,
        ["train.grad_accum"] = 2L,
    };

    private static TrialRecord Trial(int number, string parameters, TrialStatus status, double? score) =>
        new("sweep0001", number, parameters, status, score, null, 1, new Dictionary<long, string>(), null, null, null, null, null);
}
