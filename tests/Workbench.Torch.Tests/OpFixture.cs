// Compares an op's output with PyTorch's on the same inputs (tinygrad style: one helper for every op).
// The values come from tests/fixtures/make_op_fixtures.py: "<case>/inN" inputs and "<case>/outN" outputs.
namespace Workbench.Torch.Tests;

internal static class OpFixture
{
    /// <summary>
    /// Runs <paramref name="op"/> on the case's inputs and asserts each output matches PyTorch's, within
    /// the output dtype's tolerances unless the test gives its own (and says why).
    /// </summary>
    public static void Check(string file, string name, Func<Tensor[], Tensor[]> op, double? rtol = null, double? atol = null)
    {
        var before = TensorCensus.Take();
        using (TensorScope.Begin())
        {
            var all = SafeTensors.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", file));
            var inputs = Numbered(all, name, "in");
            var expected = Numbered(all, name, "out");
            Assert.True(expected.Length > 0, $"{file} has no case '{name}'");
            var actual = op(inputs);
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++) Close.Assert(expected[i], actual[i], $"{name}/out{i}", rtol, atol);
            foreach (var t in all.Values) t.Dispose();
        }
        Assert.Equal(before, TensorCensus.Take());
    }

    public static void Check(string file, string name, Func<Tensor[], Tensor> op, double? rtol = null, double? atol = null) =>
        Check(file, name, inputs => [op(inputs)], rtol, atol);

    private static Tensor[] Numbered(Dictionary<string, Tensor> all, string name, string kind)
    {
        var list = new List<Tensor>();
        while (all.TryGetValue($"{name}/{kind}{list.Count}", out var t)) list.Add(t);
        return [.. list];
    }
}
