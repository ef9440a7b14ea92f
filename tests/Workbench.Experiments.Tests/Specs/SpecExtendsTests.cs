// `extends:` deep-merges a base file under the including one; cycles and missing files are errors.
using Workbench.Experiments.Specs;

namespace Workbench.Experiments.Tests.Specs;

public sealed class SpecExtendsTests : IDisposable
{
    private readonly SpecFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_base_file_is_merged_under_the_including_file_key_by_key()
    {
        _folder.Write("bases/mnist.yaml", "seed: 1\ntrain:\n  batch_size: 64\n  optimizer: {name: sgd, lr: 0.1, momentum: 0.9}\n");
        var path = _folder.Write("exp/run.yaml", "extends: ../bases/mnist.yaml\nname: run\ntrain:\n  optimizer: {lr: 0.05}\n");

        var spec = SpecLoader.Load(path);

        Assert.Equal(1, spec.Seed);
        Assert.Equal(64, spec.Train.BatchSize);
        Assert.Equal(new OptimizerSpec("sgd", 0.05, ValueList.Of(0.9, 0.999), 0.0, 0.9), spec.Train.Optimizer);
    }

    [Fact]
    public void Bases_chain_and_the_nearest_file_wins()
    {
        _folder.Write("a.yaml", "seed: 1\nnotes: from a\n");
        _folder.Write("b.yaml", "extends: a.yaml\nseed: 2\n");
        var path = _folder.Write("c.yaml", "extends: b.yaml\nname: c\n");

        var spec = SpecLoader.Load(path);

        Assert.Equal((2L, "from a"), (spec.Seed, spec.Notes));
    }

    [Fact]
    public void An_error_in_a_base_file_points_into_that_file()
    {
        _folder.Write("base.yaml", "train:\n  batch_size: -4\n");
        var path = _folder.Write("run.yaml", "extends: base.yaml\nname: run\n");

        var error = Assert.Single(Assert.Throws<SpecException>(() => SpecLoader.Load(path)).Errors);

        Assert.EndsWith("base.yaml", error.File);
        Assert.Equal((2, 15, "train.batch_size"), (error.Line, error.Column, error.KeyPath));
    }

    [Fact]
    public void An_extends_cycle_is_an_error_naming_the_chain()
    {
        _folder.Write("a.yaml", "extends: b.yaml\nname: a\n");
        var path = _folder.Write("b.yaml", "extends: a.yaml\n");

        var error = Assert.Single(Assert.Throws<SpecException>(() => SpecLoader.Load(path)).Errors);

        Assert.Equal("extends cycle: b.yaml -> a.yaml -> b.yaml", error.Message);
        Assert.Equal((1, 10), (error.Line, error.Column));
    }

    [Fact]
    public void A_missing_base_file_is_an_error_naming_it()
    {
        var path = _folder.Write("run.yaml", "name: run\nextends: nowhere.yaml\n");

        var error = Assert.Single(Assert.Throws<SpecException>(() => SpecLoader.Load(path)).Errors);

        Assert.Contains("nowhere.yaml", error.Message);
        Assert.Equal(("extends", 2, 10), (error.KeyPath, error.Line, error.Column));
    }

    [Fact]
    public void A_missing_spec_file_is_an_error_naming_it()
    {
        var error = Assert.Single(Assert.Throws<SpecException>(() => SpecLoader.Load(Path.Combine(_folder.Root, "none.yaml"))).Errors);

        Assert.Contains("none.yaml: spec file not found", error.ToString());
    }
}
