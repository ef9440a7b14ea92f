// The PyTorch references of the post-training tests, written from TRL's formulas with torch 1.13 (each script's
// docstring lists the names): tests/fixtures/make_posttraining_fixture.py's posttraining.safetensors (SFT, reward,
// DPO), make_ppo_fixture.py's ppo.safetensors and make_grpo_fixture.py's; and fresh leaves to take gradients on.
using Workbench.Torch;

namespace Workbench.Models.Tests.PostTraining;

internal sealed class PostTrainingFixture
{
    private readonly string _file;
    private readonly Dictionary<string, Tensor> _tensors;

    private PostTrainingFixture(string file) =>
        (_file, _tensors) = (file, SafeTensors.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", file)));

    /// <summary>Runs <paramref name="test"/> on the fixture in a scope of its own, then asserts no tensor outlived it.</summary>
    public static void Run(Action<PostTrainingFixture> test, string file = "posttraining.safetensors")
    {
        var before = TensorCensus.Take();
        using (TensorScope.Begin()) test(new PostTrainingFixture(file));
        Assert.Equal(before, TensorCensus.Take());
    }

    public Tensor this[string name] =>
        _tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"{_file} has no '{name}'");

    /// <summary>A copy of the named tensor that records gradients, as torch's requires_grad_() leaf did.</summary>
    public Tensor Leaf(string name) => this[name].Detach().RequiresGrad_();

    /// <summary>The tensors under "<paramref name="prefix"/>", with the prefix taken off their names.</summary>
    public Dictionary<string, Tensor> Under(string prefix) =>
        _tensors.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(e => e.Key[prefix.Length..], e => e.Value);

    /// <summary>Asserts <paramref name="actual"/> equals the named reference within its dtype's tolerances.</summary>
    public void Expect(string name, Tensor actual) => Close.Assert(this[name], actual, name);
}
