// The resolved spec has every default filled in, some depending on dataset, model kind and stage.
using Workbench.Experiments.Specs;

namespace Workbench.Experiments.Tests.Specs;

public sealed class SpecDefaultsTests : IDisposable
{
    private readonly SpecFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_spec_with_only_a_name_resolves_to_the_documented_defaults()
    {
        var spec = _folder.Load("name: bare\n");

        var expected = new ExperimentSpec(
            "bare", 1337, "auto", null, "fp32", null, ValueList<string>.Empty, "",
            new MetricSpec("val/acc", "max"),
            new DataSpec("mnist", null, new SplitSpec(0.1, null), new TokenizerSpec("char", null)),
            new MlpSpec(Hidden: ValueList.Of(200, 100, 75), Activation: "relu", Dropout: 0.0),
            new TrainSpec("supervised", null,
                new OptimizerSpec("adam", 1e-3, ValueList.Of(0.9, 0.999), 0.0, 0.0),
                new ScheduleSpec("constant", 0, 0.0, null, 0.1),
                128, 1, Epochs: 1, MaxSteps: null, GradClip: null, LogEvery: 10,
                new EvalSpec(200, null), new CheckpointSpec(1000, 2)),
            new SampleSpec("", 200, 1.0, null));
        Assert.Equal(expected, spec);
        Assert.True(spec.Data.Split.OfficialTest);
    }

    [Theory]
    [InlineData("cnn", "channels: [32, 64], kernel: 3, pool: 2, hidden: [128], activation: relu, dropout: 0")]
    [InlineData("perceptron", "hidden: 2, activation: sigmoid")]
    [InlineData("linear", "")]
    [InlineData("char-mlp", "block_size: 3, n_embd: 10, hidden: [200], batch_norm: false, activation: tanh")]
    [InlineData("gpt", "n_layer: 4, n_head: 4, n_embd: 128, block_size: 64, dropout: 0, bias: false")]
    public void Each_model_kind_gets_its_own_defaults(string kind, string explicitDefaults)
    {
        var dataset = SpecCatalog.KindsFor("mnist").Contains(kind) ? "mnist" : kind == "perceptron" ? "xor" : "names";
        var common = $"name: x\ndata: {{dataset: {dataset}}}\ntrain: {{max_steps: 10}}\n";

        var implicitSpec = _folder.Load(common + $"model: {{kind: {kind}}}\n");
        var explicitSpec = _folder.Load(common + $"model: {{kind: {kind}{(explicitDefaults.Length > 0 ? ", " : "")}{explicitDefaults}}}\n");

        Assert.Equal(explicitSpec.Model, implicitSpec.Model);
    }

    [Theory]
    [InlineData("mnist", "mlp", "val/acc", "max")]
    [InlineData("xor", "perceptron", "val/acc", "max")]
    [InlineData("linreg", "linear", "val/loss", "min")]
    [InlineData("names", "char-mlp", "val/loss", "min")]
    public void The_metric_defaults_by_stage_and_task(string dataset, string kind, string metric, string goal)
    {
        var spec = _folder.Load($"name: x\ndata: {{dataset: {dataset}}}\nmodel: {{kind: {kind}}}\ntrain: {{max_steps: 5}}\n");

        Assert.Equal(new MetricSpec(metric, goal), spec.Metric);
    }

    [Fact]
    public void A_language_model_defaults_to_the_pretrain_stage()
    {
        var spec = _folder.Load("name: x\ndata: {dataset: sotu}\nmodel: {kind: gpt}\ntrain: {max_steps: 100}\n");

        Assert.Equal(("pretrain", null, 100), (spec.Train.Stage, spec.Train.Epochs, spec.Train.MaxSteps));
    }

    [Fact]
    public void A_metric_given_by_name_alone_takes_its_goal_from_the_name()
    {
        Assert.Equal("min", _folder.Load("name: x\nmetric: {name: val/loss}\n").Metric.Goal);
        Assert.Equal("max", _folder.Load("name: x\nmetric: {name: val/acc}\n").Metric.Goal);
        Assert.Equal("min", _folder.Load("name: x\ndata: {dataset: sotu}\nmodel: {kind: gpt}\ntrain: {max_steps: 9}\nmetric: {name: train/eval_loss}\n").Metric.Goal);
    }

    [Theory]
    [InlineData("mnist", null, 0.1)]
    [InlineData("linreg", 0.0, 0.1)]
    [InlineData("xor", 0.0, 0.0)]
    [InlineData("and", 0.0, 0.0)]
    public void The_split_defaults_by_dataset(string dataset, double? test, double val)
    {
        var kind = SpecCatalog.KindsFor(dataset)[0];

        var spec = _folder.Load($"name: x\ndata: {{dataset: {dataset}}}\nmodel: {{kind: {kind}}}\n");

        Assert.Equal(new SplitSpec(val, test), spec.Data.Split);
    }

    [Fact]
    public void A_run_bounded_by_max_steps_alone_has_no_epoch_default()
    {
        var spec = _folder.Load("name: x\ntrain: {max_steps: 50}\n");

        Assert.Equal((null, 50), (spec.Train.Epochs, spec.Train.MaxSteps));
    }
}
