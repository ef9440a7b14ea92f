// The GPT starts from GPT-2's initialisation: N(0, 0.02) weights and embeddings, residual projections
// scaled down to 0.02 / sqrt(2 n_layer), zero biases, and LayerNorms that start as the identity.
using Workbench.Torch;

namespace Workbench.Models.Tests;

public sealed class GptInitTests
{
    private const int Layers = 4;

    [Fact]
    public void Weights_and_embeddings_have_std_0_02_and_zero_mean()
    {
        using var model = TinyModels.Gpt(bias: true, vocab: 64, block: 64, layers: Layers, heads: 4, embedding: 64);

        foreach (var (name, p) in Named(model, n => n.EndsWith(".weight", StringComparison.Ordinal) && !IsProjection(n) && !IsLayerNorm(n)))
            AssertNormal(name, p, 0.02);
    }

    [Fact]
    public void Residual_projections_have_std_0_02_over_sqrt_2_n_layer()
    {
        using var model = TinyModels.Gpt(bias: true, vocab: 64, block: 64, layers: Layers, heads: 4, embedding: 64);

        var projections = Named(model, IsProjection).ToList();

        Assert.Equal(2 * Layers, projections.Count);                          // attention and MLP, in every block
        foreach (var (name, p) in projections) AssertNormal(name, p, 0.02 / Math.Sqrt(2 * Layers));
    }

    [Fact]
    public void Biases_start_at_zero_and_layer_norms_at_weight_one()
    {
        using var model = TinyModels.Gpt(bias: true, vocab: 64, block: 64, layers: Layers, heads: 4, embedding: 64);

        var biases = Named(model, n => n.EndsWith(".bias", StringComparison.Ordinal)).ToList();
        var norms = Named(model, n => IsLayerNorm(n) && n.EndsWith(".weight", StringComparison.Ordinal)).ToList();

        Assert.Equal(Layers * 6 + 1, biases.Count);                           // 2 LayerNorms + 4 Linears per block, ln_f
        Assert.Equal(Layers * 2 + 1, norms.Count);
        foreach (var (name, p) in biases) Assert.True(p.ToFloatArray().All(v => v == 0), $"{name} is not all zeros");
        foreach (var (name, p) in norms) Assert.True(p.ToFloatArray().All(v => v == 1), $"{name} is not all ones");
    }

    private static bool IsProjection(string name) => name.EndsWith("c_proj.weight", StringComparison.Ordinal);

    private static bool IsLayerNorm(string name) => name.StartsWith("ln_", StringComparison.Ordinal) || name.Contains(".ln_", StringComparison.Ordinal);

    private static IEnumerable<(string Name, Tensor Value)> Named(Gpt model, Func<string, bool> select) =>
        model.NamedParameters().Where(p => select(p.Key)).Select(p => (p.Key, p.Value));

    // Sample mean and std of a tensor of at least 4096 draws: within 10% of the std, mean within 5 standard errors (about 20 tensors are checked).
    private static void AssertNormal(string name, Tensor p, double std)
    {
        var values = p.ToFloatArray();
        Assert.True(values.Length >= 4096, $"{name} has only {values.Length} values");
        var mean = values.Average(v => (double)v);
        var sampleStd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        Assert.True(Math.Abs(sampleStd - std) < 0.1 * std, $"{name}: std {sampleStd:G4}, expected {std:G4}");
        Assert.True(Math.Abs(mean) < 5 * std / Math.Sqrt(values.Length), $"{name}: mean {mean:G4}, expected 0");
    }
}
