// Every way a sweep file can be wrong is refused before anything starts, naming the file, the line and
// the key, with a near name where one fits; values the base spec refuses are caught by the spec's own
// validation and reported at their line in the sweep file.
using Workbench.Experiments.Specs;
using Workbench.Experiments.Sweeps;
using Workbench.Experiments.Tests.Specs;

namespace Workbench.Experiments.Tests.Sweeps;

public sealed class SweepValidationTests : IDisposable
{
    private const string Base = """
        name: base
        device: cpu
        data: {dataset: mnist}
        model: {kind: mlp, hidden: [32]}
        train:
          optimizer: {name: adam, lr: 1.0e-3}
          batch_size: 64
          max_steps: 300
        """;

    private const string Lr = "parameters:\n  train.optimizer.lr: {distribution: log_uniform, min: 1.0e-4, max: 1.0e-2}\n";

    private readonly SpecFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("spec: base.yaml\nmethod: tpe\nparameter:\n  train.batch_size: {values: [32]}\nbudget: {trials: 2}\n", "s.yaml", 3, "parameter", "did you mean `parameters`?")]
    [InlineData("spec: base.yaml\nmethod: tpee\n" + Lr + "budget: {trials: 2}\n", "s.yaml", 2, "method", "did you mean `tpe`?")]
    [InlineData("spec: base.yaml\n" + Lr + "budget: {trials: 2}\n", "s.yaml", 1, "method", "missing")]
    [InlineData("spec: nowhere.yaml\nmethod: tpe\n" + Lr + "budget: {trials: 2}\n", "s.yaml", 1, "spec", "relative to the sweep file")]
    [InlineData("spec: base.yaml\nmethod: random\nparameters:\n  train.optimizer.lr:\n    distribution: loguniform\n    min: 1.0e-4\n    max: 1.0e-2\nbudget: {trials: 2}\n",
        "s.yaml", 5, "parameters.train.optimizer.lr.distribution", "did you mean `log_uniform`?")]
    [InlineData("spec: base.yaml\nmethod: random\nparameters:\n  train.optimizer.lr:\n    distribution: uniform\n    min: 0.1\n    max: 0.01\nbudget: {trials: 2}\n",
        "s.yaml", 7, "parameters.train.optimizer.lr.max", "must be greater than min (got min 0.1, max 0.01)")]
    [InlineData("spec: base.yaml\nmethod: random\nparameters:\n  train.optimizer.momentum:\n    distribution: log_uniform\n    min: 0\n    max: 0.9\nbudget: {trials: 2}\n",
        "s.yaml", 6, "parameters.train.optimizer.momentum.min", "min must be > 0")]
    [InlineData("spec: base.yaml\nmethod: random\nparameters:\n  train.optimizer.lr: {distribution: uniform, max: 0.1}\nbudget: {trials: 2}\n",
        "s.yaml", 4, "parameters.train.optimizer.lr.min", "both `min` and `max`")]
    [InlineData("spec: base.yaml\nmethod: random\nparameters:\n  train.optimizer.lr: {min: 0.1, max: 0.2}\nbudget: {trials: 2}\n",
        "s.yaml", 4, "parameters.train.optimizer.lr.distribution", "`values: [...]` or `distribution:`")]
    [InlineData("spec: base.yaml\nmethod: grid\nparameters:\n  train.batch_size:\n    values: [32, 64, 0]\n", "s.yaml", 5, "train.batch_size", "must be >= 1, got 0")]
    [InlineData("spec: base.yaml\nmethod: random\nparameters:\n  train.optimizer.lr:\n    distribution: uniform\n    min: -0.5\n    max: 0.5\nbudget: {trials: 2}\n",
        "s.yaml", 6, "train.optimizer.lr", "must be > 0, got -0.5")]
    [InlineData("spec: base.yaml\nmethod: random\nparameters:\n  train.batch_size:\n    distribution: uniform\n    min: 16\n    max: 256\nbudget: {trials: 2}\n",
        "s.yaml", 6, "train.batch_size", "expected an integer, got the number 16.0")]
    [InlineData("spec: base.yaml\nmethod: random\nparameters:\n  train.optimizer.lrr: {values: [0.1]}\nbudget: {trials: 2}\n",
        "s.yaml", 4, "train.optimizer.lrr", "did you mean `lr`?")]
    [InlineData("spec: base.yaml\nmethod: random\nparameters:\n  train.batch_size: {distribution: int_uniform, min: 16.5, max: 256}\nbudget: {trials: 2}\n",
        "s.yaml", 4, "parameters.train.batch_size.min", "expected an integer")]
    [InlineData("spec: base.yaml\nmethod: grid\nparameters:\n  train.optimizer.lr: {distribution: uniform, min: 0.1, max: 0.2}\n",
        "s.yaml", 4, "parameters.train.optimizer.lr.distribution", "a grid tries listed values only")]
    [InlineData("spec: base.yaml\nmethod: grid\nparameters:\n  train.batch_size: {values: [32, 64], min: 1}\n", "s.yaml", 4, "parameters.train.batch_size.min", "not both")]
    [InlineData("spec: base.yaml\nmethod: grid\nparameters:\n  train.batch_size: {values: [32, 64, 32]}\n", "s.yaml", 4, "parameters.train.batch_size.values[2]", "lists 32 twice")]
    [InlineData("spec: base.yaml\nmethod: grid\nparameters:\n  train.batch_size: {values: []}\n", "s.yaml", 4, "parameters.train.batch_size.values", "non-empty list")]
    [InlineData("spec: base.yaml\nmethod: grid\nparameters:\n  seed: {values: [1, 2]}\n", "s.yaml", 4, "parameters.seed", "`seeds:`")]
    [InlineData("spec: base.yaml\nset: {train.batch_size: 32}\nmethod: grid\nparameters:\n  train.batch_size: {values: [32, 64]}\n", "s.yaml", 5, "parameters.train.batch_size", "also given in `set:`")]
    [InlineData("spec: base.yaml\nset: {seed: 3}\nmethod: grid\nparameters:\n  train.batch_size: {values: [32]}\n", "s.yaml", 2, "set.seed", "`seeds:`")]
    [InlineData("spec: base.yaml\nset: {train.max_steps: 0}\nmethod: grid\nparameters:\n  train.batch_size: {values: [32]}\n", "s.yaml", 2, "train.max_steps", ">= 1")]
    [InlineData("spec: base.yaml\nmethod: grid\nparameters: {}\n", "s.yaml", 3, "parameters", "expected a mapping from each swept spec key")]
    [InlineData("spec: base.yaml\nmethod: random\n" + Lr, "s.yaml", 1, "budget", "do not end by themselves")]
    [InlineData("spec: base.yaml\nmethod: random\n" + Lr + "budget: {trials: 0}\n", "s.yaml", 5, "budget.trials", ">= 1")]
    [InlineData("spec: base.yaml\nmethod: random\n" + Lr + "budget: {trial: 5}\n", "s.yaml", 5, "budget.trial", "did you mean `trials`?")]
    [InlineData("spec: base.yaml\nmethod: random\n" + Lr + "budget: {until: 7am}\n", "s.yaml", 5, "budget.until", "a clock time like \"07:00\"")]
    [InlineData("spec: base.yaml\nmethod: random\n" + Lr + "budget: {hours: 0}\n", "s.yaml", 5, "budget.hours", "> 0")]
    [InlineData("spec: base.yaml\nmethod: random\n" + Lr + "budget: {trials: 2}\nseeds: [1, 1]\n", "s.yaml", 6, "seeds", "lists a seed twice")]
    [InlineData("spec: base.yaml\nmethod: random\n" + Lr + "budget: {trials: 2}\nearly_terminate: {type: ashaa}\n", "s.yaml", 6, "early_terminate.type", "did you mean `asha`?")]
    [InlineData("spec: base.yaml\nmethod: random\n" + Lr + "budget: {trials: 2}\nearly_terminate: {type: median, reduction_factor: 3}\n", "s.yaml", 6, "early_terminate.reduction_factor", "asha only")]
    [InlineData("spec: base.yaml\nmethod: random\n" + Lr + "budget: {trials: 2}\nearly_terminate: {type: asha, reduction_factor: 1}\n", "s.yaml", 6, "early_terminate.reduction_factor", ">= 2")]
    [InlineData("spec: base.yaml\nmethod: random\n" + Lr + "budget: {trials: 2}\nretries: -1\n", "s.yaml", 6, "retries", ">= 0")]
    [InlineData("spec: base.yaml\nmethod: random\n" + Lr + "budget: {trials: 2}\nmetric: {name: val/acc, goal: min}\n", "s.yaml", 6, "metric.goal", "its goal is `max`")]
    [InlineData("spec: base.yaml\nmethod: random\n" + Lr + "budget: {trials: 2}\nmetric: {name: val/accc}\n", "s.yaml", 6, "metric.name", "did you mean `val/acc`?")]
    [InlineData("spec: bad.yaml\nmethod: random\n" + Lr + "budget: {trials: 2}\n", "bad.yaml", 3, "train.optimizer.lr", "> 0")]
    [InlineData("", "s.yaml", 1, "", "at least `spec:`")]
    public void A_bad_sweep_is_refused_naming_the_file_line_and_key(string yaml, string file, int line, string keyPath, string message)
    {
        // Given a sweep with one problem, and the spec files it may name (bad.yaml has a bad lr on line 3)
        _folder.Write("base.yaml", Base);
        _folder.Write("bad.yaml", "name: bad\ntrain:\n  optimizer: {lr: -1}\n");
        var path = _folder.Write("s.yaml", yaml);

        // When it loads
        var errors = Assert.Throws<SpecException>(() => SweepLoader.Load(path)).Errors;

        // Then the problem is reported once, where it is
        var error = Assert.Single(errors, e => e.KeyPath == keyPath && e.Line == line);
        Assert.EndsWith(file, error.File);
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        _folder.Write("base.yaml", Base);
        var path = _folder.Write("s.yaml", "spec: base.yaml\nmethod: random\nparameters:\n  train.batch_size: {values: [0, -1]}\nbudget: {trials: 0}\n");

        var errors = Assert.Throws<SpecException>(() => SweepLoader.Load(path)).Errors;

        Assert.Equal(["budget.trials", "train.batch_size", "train.batch_size"], errors.Select(e => e.KeyPath).Order());
    }

    [Fact]
    public void A_grid_of_more_points_than_anyone_can_run_is_refused()
    {
        _folder.Write("base.yaml", Base);
        var values = $"[{string.Join(", ", Enumerable.Range(1, 500))}]";
        var path = _folder.Write("s.yaml", $"spec: base.yaml\nmethod: grid\nparameters:\n  train.batch_size: {{values: {values}}}\n  train.max_steps: {{values: {values}}}\n");

        var error = Assert.Single(Assert.Throws<SpecException>(() => SweepLoader.Load(path)).Errors);

        Assert.Contains("the grid has 2.5E+05 points", error.Message);
    }
}
