// `--set a.b=value` overrides: parsed as YAML values, merged over the file, validated the same way.
using Workbench.Experiments.Specs;

namespace Workbench.Experiments.Tests.Specs;

public sealed class SpecOverrideTests : IDisposable
{
    private const string Base = "name: x\nmodel: {kind: mlp, hidden: [10]}\ntrain: {optimizer: {name: adam, lr: 0.1}}\n";

    private readonly SpecFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Overrides_set_scalars_and_flow_lists_over_the_file()
    {
        var spec = _folder.Load(Base, "model.hidden=[64,32]", "train.optimizer.lr=3e-4", "seed=9", "data.split={val: 0.2}");

        Assert.Equal(ValueList.Of(64, 32), Assert.IsType<MlpSpec>(spec.Model).Hidden);
        Assert.Equal(3e-4, spec.Train.Optimizer.Lr);
        Assert.Equal("adam", spec.Train.Optimizer.Name);
        Assert.Equal(9, spec.Seed);
        Assert.Equal(0.2, spec.Data.Split.Val);
    }

    [Fact]
    public void A_later_override_wins_over_an_earlier_one()
    {
        Assert.Equal(5, _folder.Load(Base, "seed=4", "seed=5").Seed);
    }

    [Fact]
    public void An_override_error_is_located_at_the_override()
    {
        var errors = _folder.Errors(Base, "train.optimizer.lr=-1", "train.batchsize=4", "model.hidden=[64, x]");

        Assert.Contains(errors, e => e.ToString() == "--set train.optimizer.lr: train.optimizer.lr: must be > 0, got -1");
        Assert.Contains(errors, e => e.File == "--set train.batchsize" && e.Line == 0 && e.Message.Contains("did you mean `batch_size`?"));
        Assert.Contains(errors, e => e.File == "--set model.hidden" && e.KeyPath == "model.hidden[1]");
    }

    [Theory]
    [InlineData("seed", "expected KEY=VALUE")]
    [InlineData("train..lr=1", "dotted path")]
    [InlineData("extends=other.yaml", "cannot be set")]
    [InlineData("seed=!!int 3", "tags are not allowed")]
    [InlineData("model.hidden=[1, 2", "--set model.hidden")]
    public void A_malformed_override_is_an_error(string assignment, string expected)
    {
        var errors = _folder.Errors(Base, assignment);

        Assert.Contains(errors, e => e.ToString().Contains(expected));
        Assert.All(errors, e => Assert.StartsWith("--set", e.File));
    }
}
