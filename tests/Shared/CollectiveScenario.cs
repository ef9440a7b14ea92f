// The collectives both ranks of the engine's data-parallel tests run (each with its own inputs); each
// result is one line "name: values" so that the test compares the child process's output too.
using System.Globalization;
using Workbench.Torch;
using Workbench.Torch.Distributed;

namespace Workbench.Torch.RankProcess;

internal static class Scenario
{
    /// <summary>What every rank of two must print: sums, averages and rank 0's broadcast values.</summary>
    public static readonly string[] Expected =
    [
        "sum: 3 3 3",
        "average: 5 6 7 8 9",
        "bucketed: 3 3 3 3 3 3 | 3 3 3 3 | 3",
        "gradients: 1.5 1.5 1.5 1.5 | 0 0",
        "broadcast: 7 7 7 7",
    ];

    public static IEnumerable<string> Collectives(ProcessGroup group)
    {
        using var scope = TensorScope.Begin();
        var r = group.Rank;

        var sum = Tensor.Full([3], r + 1);
        group.AllReduce(sum);
        yield return "sum: " + Values(sum);

        var average = Tensor.Arange(5, ScalarType.Float32) + r * 10;  // rank 0: 0..4, rank 1: 10..14
        group.AllReduce(average, ReduceOp.Average);
        yield return "average: " + Values(average);

        // 16-byte buckets: the first tensor (24 bytes) and the second (16) go alone, the third on its own too.
        Tensor[] bucketed = [Tensor.Full([2, 3], r + 1), Tensor.Full([4], r + 1), Tensor.Full([1, 1], r + 1)];
        group.AllReduce(bucketed, ReduceOp.Sum, bucketBytes: 16);
        yield return "bucketed: " + string.Join(" | ", bucketed.Select(Values));

        // A parameter whose gradient is (rank + 1) everywhere, and one that has none on any rank.
        var weight = Tensor.Zeros([2, 2]);
        weight.RequiresGrad = true;
        (weight * (r + 1)).Sum().Backward();
        var unused = Tensor.Zeros([2]);
        unused.RequiresGrad = true;
        group.AverageGradients([weight, unused]);
        yield return "gradients: " + Values(weight.Grad()!) + " | " + Values(unused.Grad()!);

        var broadcast = Tensor.Full([2, 2], r + 7);
        broadcast.RequiresGrad = true;
        group.Broadcast([broadcast]);
        yield return "broadcast: " + Values(broadcast);

        group.Barrier();
    }

    /// <summary>What every rank of two must print from <see cref="Reducer"/>.</summary>
    public static readonly string[] ReducerExpected =
    [
        "buckets: 5",
        "micro-batch 1 of 2: this rank's own gradients",
        "step 1: every gradient the mean of both ranks'",
        "step 1: the buckets before the first unreached parameter started during backward",
        "step 2: every gradient the mean of both ranks'",
        "step 2: the buckets before the first unreached parameter started during backward",
        "unused: 0 0 0 0 0",
    ];

    // Registration order; the reducer's 16-byte buckets take them in reverse, one each: w2, b1, s, w1, unused.
    private static readonly string[] ParameterNames = ["unused", "w1", "s", "b1", "w2"];

    /// <summary>
    /// The gradient reducer on a model of five buckets: a parameter no rank uses, one only rank 0 uses (so
    /// rank 1's third bucket waits for finish while rank 0's starts during backward), two micro-batches a
    /// step of which only the second reduces, two steps. Each rank checks the result against both ranks'
    /// gradients, which it computes itself without the reducer.
    /// </summary>
    public static IEnumerable<string> Reducer(ProcessGroup group)
    {
        using var scope = TensorScope.Begin();
        var parameters = NewParameters();
        using var reducer = GradientReducer.Create(group, parameters, bucketBytes: 16);
        yield return "buckets: " + reducer.BucketCount;

        var expected = Mean(LocalGradients(0), LocalGradients(1));
        for (var step = 1; step <= 2; step++)
        {
            foreach (var p in parameters) p.ClearGrad();
            for (var m = 0; m < 2; m++)
            {
                reducer.Prepare(reduce: m == 1);
                (MicroLoss(parameters, group.Rank, m) / 2).Backward();
                if (m == 0 && step == 1)
                    yield return "micro-batch 1 of 2: " + Compare(parameters, LocalGradients(group.Rank, microBatches: 1), "this rank's own gradients");
            }
            reducer.Finish();
            yield return $"step {step}: " + Compare(parameters, expected, "every gradient the mean of both ranks'");
            // Rank 0 reaches w2, b1, s and w1 (all but the last bucket, unused); rank 1 stops before s.
            var early = reducer.StartedInBackward;
            yield return $"step {step}: " + (early == (group.Rank == 0 ? 4 : 2)
                ? "the buckets before the first unreached parameter started during backward"
                : $"{early} buckets started during backward");
        }
        yield return "unused: " + Values(parameters[0].Grad()!);
        group.Barrier();
    }

    private static Tensor[] NewParameters()
    {
        Tensor[] p =
        [
            Tensor.Zeros([5]),
            Tensor.Arange(0, 12, 1, ScalarType.Float32).Reshape(3, 4) * 0.1 - 0.5,
            Tensor.Arange(0, 2, 1, ScalarType.Float32) + 1,
            Tensor.Arange(0, 4, 1, ScalarType.Float32) * -0.2,
            Tensor.Arange(0, 8, 1, ScalarType.Float32).Reshape(4, 2) * 0.15 - 0.4,
        ];
        foreach (var t in p) t.RequiresGrad = true;
        return p;
    }

    // Micro-batch m of rank r: a two-layer tanh network on its own 2 rows; s only on rank 0.
    private static Tensor MicroLoss(Tensor[] p, int rank, int m)
    {
        var x = (Tensor.Arange(0, 6, 1, ScalarType.Float32).Reshape(2, 3) + (rank * 10 + m * 3)) * 0.05;
        var y = (x.Matmul(p[1]) + p[3]).Tanh().Matmul(p[4]);
        var loss = y.Square().Sum();
        return rank == 0 ? loss + (y.Sum(0) * p[2]).Sum() : loss;
    }

    // Rank r's accumulated gradients of the first micro-batches, on fresh parameters (zeros where none).
    private static float[][] LocalGradients(int rank, int microBatches = 2)
    {
        var p = NewParameters();
        for (var m = 0; m < microBatches; m++) (MicroLoss(p, rank, m) / 2).Backward();
        return p.Select(t => t.Grad() is { } g ? g.ToArray<float>() : new float[t.NumElements]).ToArray();
    }

    private static float[][] Mean(float[][] a, float[][] b) =>
        a.Zip(b, (x, y) => x.Zip(y, (u, v) => (u + v) / 2).ToArray()).ToArray();

    private static string Compare(Tensor[] parameters, float[][] expected, string same)
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            var got = parameters[i].Grad()?.ToArray<float>() ?? new float[parameters[i].NumElements];
            if (got.Length != expected[i].Length || got.Zip(expected[i]).Any(g => Math.Abs(g.First - g.Second) > 1e-6))
                return $"{ParameterNames[i]} differs: [{string.Join(", ", got)}] against [{string.Join(", ", expected[i])}]";
        }
        return same;
    }

    private static string Values(Tensor t) =>
        string.Join(" ", t.ToArray<float>().Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
