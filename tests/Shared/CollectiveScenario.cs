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

    private static string Values(Tensor t) =>
        string.Join(" ", t.ToArray<float>().Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
