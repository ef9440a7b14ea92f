// Reading a sweep file: the base spec relative to the sweep, `set:`, method, metric, parameters, seeds,
// budget, early termination; every value checked against the spec; and every problem reported with
// the file and line it is on, as for specs.
using Workbench.Experiments.Specs;
using Workbench.Experiments.Sweeps;
using Workbench.Experiments.Tests.Specs;
using Workbench.Tracking;

namespace Workbench.Experiments.Tests.Sweeps;

public sealed class SweepLoaderTests : IDisposable
{
    private const string Base = """
        name: base
        seed: 9
        device: cpu
        data: {dataset: mnist, split: {val: 0.1}}
        model: {kind: mlp, hidden: [32]}
        train:
          optimizer: {name: adam, lr: 1.0e-3}
          batch_size: 64
          max_steps: 300
          eval: {every: 50}
        """;

    private readonly SpecFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_sweep_reads_its_base_spec_relative_to_itself_with_set_parameters_and_every_setting()
    {
        // Given a sweep in a sub-folder naming a spec beside it
        _folder.Write("specs/base.yaml", Base);
        var path = _folder.Write("sweeps/lr.yaml", """
            spec: ../specs/base.yaml
            set: {train.max_steps: 200, model.hidden: [16, 8]}
            method: tpe
            metric: {name: val/loss}
            parameters:
              train.optimizer.lr: {distribution: log_uniform, min: 1.0e-4, max: 1.0e-2}
              train.batch_size: {values: [32, 64]}
              train.grad_accum: {distribution: int_uniform, min: 1, max: 4}
              train.optimizer.weight_decay: {distribution: uniform, min: 0, max: 0.1}
            seeds: [1, 2]
            budget: {trials: 12, hours: 8, until: "07:00"}
            early_terminate: {type: asha, min_steps: 50, reduction_factor: 2}
            retries: 3
            seed: 7
            """);

        // When it loads
        var sweep = SweepLoader.Load(path);

        // Then every key is read, the spec path resolved and the metric's goal taken from the catalog
        Assert.Equal(Path.Combine(_folder.Root, "specs", "base.yaml"), sweep.SpecPath);
        Assert.Equal(["train.max_steps=200", "model.hidden=[16, 8]"], sweep.Set);
        Assert.Equal(SweepMethod.Tpe, sweep.Method);
        Assert.Equal(new SweepMetric("val/loss", MetricGoal.Min), sweep.Metric);
        Assert.Equal(
            [("train.optimizer.lr", ParameterKind.LogUniform, 1e-4, 1e-2), ("train.batch_size", ParameterKind.Values, 0, 0),
             ("train.grad_accum", ParameterKind.IntUniform, 1, 4), ("train.optimizer.weight_decay", ParameterKind.Uniform, 0, 0.1)],
            sweep.Parameters.Select(p => (p.Path, p.Kind, p.Min, p.Max)));
        Assert.Equal([32L, 64L], sweep.Parameters[1].Values!);
        Assert.Equal([1L, 2L], sweep.Seeds);
        Assert.Equal(new SweepBudget(12, 8, new TimeOnly(7, 0)), sweep.Budget);
        Assert.Equal(new EarlyTerminate(PruningRule.Asha, 50, 2), sweep.EarlyTerminate);
        Assert.Equal((3, 7L), (sweep.Retries, sweep.Seed));
        Assert.Matches("^[0-9a-f]{64}$", sweep.ContentHash);
    }

    [Fact]
    public void A_trials_overrides_make_its_spec_from_the_base_spec()
    {
        _folder.Write("base.yaml", Base);
        var sweep = SweepLoader.Load(_folder.Write("s.yaml", """
            spec: base.yaml
            set: {train.max_steps: 200}
            method: random
            parameters:
              train.optimizer.lr: {distribution: log_uniform, min: 1.0e-4, max: 1.0e-2}
              model.hidden: {values: [[16], [32, 16]]}
            budget: {trials: 3}
            """));
        var parameters = new Dictionary<string, object> { ["train.optimizer.lr"] = 3e-4, ["model.hidden"] = sweep.Parameters[1].Values![1] };

        var spec = SpecLoader.Load(sweep.SpecPath, sweep.TrialOverrides(parameters, seed: 5));

        Assert.Equal((3e-4, 200, 5L), (spec.Train.Optimizer.Lr, spec.Train.MaxSteps, spec.Seed));
        Assert.Equal(new MlpSpec(ValueList.Of(32, 16), "relu", 0.0), spec.Model);
        Assert.Equal("val/acc", spec.Metric.Name);
    }

    [Fact]
    public void The_sweeps_metric_replaces_the_spec_metric_goal_included_in_the_sweep_and_in_each_trial()
    {
        // Given a base spec ranked by val/loss (min) and a sweep ranked by val/acc (max)
        _folder.Write("base.yaml", Base + "\nmetric: {name: val/loss, goal: min}\n");
        var sweep = SweepLoader.Load(_folder.Write("s.yaml", """
            spec: base.yaml
            method: grid
            metric: {name: val/acc}
            parameters: {train.batch_size: {values: [32]}}
            """));

        // When a trial's spec is made
        var spec = SpecLoader.Load(sweep.SpecPath, sweep.TrialOverrides(new Dictionary<string, object> { ["train.batch_size"] = 32L }, 1));

        // Then both rank by val/acc, maximised
        Assert.Equal(new SweepMetric("val/acc", MetricGoal.Max), sweep.Metric);
        Assert.Equal(new MetricSpec("val/acc", "max"), spec.Metric);
    }

    [Fact]
    public void The_same_file_and_base_spec_keep_their_hash_and_a_change_to_either_makes_a_new_sweep()
    {
        // Given a sweep and its base spec
        var spec = _folder.Write("base.yaml", Base);
        var path = _folder.Write("s.yaml", "spec: base.yaml\nmethod: grid\nparameters:\n  train.batch_size: {values: [32, 64]}\n");
        var first = SweepLoader.Load(path).ContentHash;

        // When it loads again, after its base spec changes, and after the sweep file changes
        var again = SweepLoader.Load(path).ContentHash;
        File.WriteAllText(spec, Base.Replace("max_steps: 300", "max_steps: 400"));
        var newSpec = SweepLoader.Load(path).ContentHash;
        File.AppendAllText(path, "retries: 2\n");
        var newFile = SweepLoader.Load(path).ContentHash;

        // Then only the unchanged pair hashes the same
        Assert.Equal(first, again);
        Assert.Equal(3, new[] { first, newSpec, newFile }.Distinct().Count());
    }

    [Fact]
    public void Defaults_are_the_spec_seed_and_metric_one_retry_sampler_seed_0_and_asha_from_the_first_evaluation()
    {
        _folder.Write("base.yaml", Base);
        var sweep = SweepLoader.Load(_folder.Write("s.yaml", """
            spec: base.yaml
            method: grid
            parameters: {train.batch_size: {values: [32, 64]}}
            early_terminate: {type: asha}
            """));

        Assert.Equal([9L], sweep.Seeds);
        Assert.Equal(new SweepMetric("val/acc", MetricGoal.Max), sweep.Metric);
        Assert.Equal((1, 0L), (sweep.Retries, sweep.Seed));
        Assert.Equal(new SweepBudget(null, null, null), sweep.Budget);
        Assert.Equal(new EarlyTerminate(PruningRule.Asha, 50, 3), sweep.EarlyTerminate);
        Assert.Equal(2L, sweep.GridSize);
    }

    [Theory]
    [InlineData(0.001, "0.001")]
    [InlineData(128L, "128")]
    [InlineData(true, "true")]
    [InlineData("adamw", "adamw")]
    [InlineData("1e-3", "\"1e-3\"")]
    public void A_swept_value_is_written_as_set_takes_it_and_read_back_as_the_same_value(object value, string text)
    {
        Assert.Equal(text, SweepValue.Format(value));
        Assert.Equal(value, SweepValue.Parse(text));
    }

    [Fact]
    public void A_list_value_round_trips_and_text_that_is_no_value_is_refused()
    {
        List<object> hidden = [64L, 32L];

        Assert.Equal("[64, 32]", SweepValue.Format(hidden));
        Assert.Equal(hidden, Assert.IsType<List<object>>(SweepValue.Parse("[64, 32]")));
        Assert.True(SweepValue.Same(2L, 2.0));
        Assert.Throws<FormatException>(() => SweepValue.Parse("{a: 1}"));
    }

    [Fact]
    public void Every_example_sweep_in_configs_loads()
    {
        var configs = Path.Combine(ExampleConfigTests.Configs, "sweeps");
        var files = Directory.GetFiles(configs, "*.yaml");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var sweep = SweepLoader.Load(file);
            Assert.StartsWith("# ", File.ReadAllText(file));
            Assert.NotEmpty(sweep.Parameters);
        }
        var lr = SweepLoader.Load(Path.Combine(configs, "mnist-mlp-lr.yaml"));
        Assert.Equal((SweepMethod.Tpe, PruningRule.Asha), (lr.Method, lr.EarlyTerminate!.Type));
        Assert.Equal(["train.optimizer.lr", "train.batch_size"], lr.Parameters.Select(p => p.Path));
    }
}
