// Compares an op's output with PyTorch's on the same inputs (tinygrad style: one helper for every op).
// The values come from tests/fixtures/make_op_fixtures.py: "<case>/inN" inputs and "<case>/outN" outputs.
namespace Workbench.Torch.Tests;

internal static class OpFixture
{
    /// <summary>Runs <paramref name="op"/> on the case's inputs and asserts each output matches PyTorch's.</summary>
    public static void Check(string file, string name, Func<Tensor[], Tensor[]> op, double tolerance = 1e-5)
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
            for (var i = 0; i < expected.Length; i++) AssertClose(expected[i], actual[i], tolerance, $"{name}/out{i}");
            foreach (var t in all.Values) t.Dispose();
        }
        Assert.Equal(before, TensorCensus.Take());
    }

    public static void Check(string file, string name, Func<Tensor[], Tensor> op, double tolerance = 1e-5) =>
        Check(file, name, inputs => [op(inputs)], tolerance);

    /// <summary>Same shape and dtype; floats within atol = rtol = tolerance, everything else exact.</summary>
    public static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{what}: shape [{string.Join(", ", actual.Shape)}], PyTorch gave [{string.Join(", ", expected.Shape)}]");
        Assert.Equal(expected.DType, actual.DType);
        using var e = expected.To(ScalarType.Float64);
        using var a = actual.To(ScalarType.Float64);
        var ev = e.ToArray<double>();
        var av = a.ToArray<double>();
        var exact = !expected.DType.IsFloatingPoint();
        for (var i = 0; i < ev.Length; i++)
        {
            var limit = exact ? 0 : tolerance + tolerance * Math.Abs(ev[i]);
            Assert.True(Math.Abs(ev[i] - av[i]) <= limit || (double.IsInfinity(ev[i]) && ev[i] == av[i]),
                $"{what}[{i}]: got {av[i]}, PyTorch gave {ev[i]}");
        }
    }

    private static Tensor[] Numbered(Dictionary<string, Tensor> all, string name, string kind)
    {
        var list = new List<Tensor>();
        while (all.TryGetValue($"{name}/{kind}{list.Count}", out var t)) list.Add(t);
        return [.. list];
    }
}
