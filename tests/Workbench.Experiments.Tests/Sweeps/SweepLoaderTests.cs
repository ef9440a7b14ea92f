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
}
