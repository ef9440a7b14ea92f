// How a data-parallel run splits its data: each rank takes its slice of every global batch of the seeded
// epoch order, so over an epoch the ranks together visit exactly the rows one process would, each once.
using Workbench.Experiments.Runs;
using Workbench.Experiments.Specs;
using Workbench.Experiments.Stages;
using Workbench.Experiments.Training;

namespace Workbench.Experiments.Tests.Training;

public sealed class DataParallelShardTests
{
    [Theory]
    [InlineData(96, 12, 2)]
    [InlineData(96, 12, 4)]
    [InlineData(103, 12, 3)]   // 7 rows left over: an epoch drops its last partial batch, in one process or several
    public void The_ranks_together_visit_every_row_of_an_epochs_whole_batches_exactly_once(int rows, int batchSize, int worldSize)
    {
        var stepsPerEpoch = rows / batchSize;
        var order = new EpochOrder(seed: 5, rows);

        for (var epoch = 0; epoch < 2; epoch++)
        {
            var single = new List<long>();
            var ranks = new List<long>[worldSize];
            for (var r = 0; r < worldSize; r++) ranks[r] = [];
            for (var step = epoch * stepsPerEpoch; step < (epoch + 1) * stepsPerEpoch; step++)
            {
                var batch = order.Batch(step, stepsPerEpoch, batchSize);
                single.AddRange(batch);
                for (var r = 0; r < worldSize; r++) ranks[r].AddRange(DataParallel.Slice(batch, r, worldSize));
            }

            var all = ranks.SelectMany(r => r).ToList();
            Assert.Equal(stepsPerEpoch * batchSize, all.Count);
            Assert.Equal(all.Count, all.Distinct().Count());
            Assert.Equal(single.Order(), all.Order());
            Assert.All(ranks, r => Assert.Equal(stepsPerEpoch * batchSize / worldSize, r.Count));
            if (rows % batchSize == 0) Assert.Equal(Enumerable.Range(0, rows).Select(i => (long)i), all.Order());
        }
    }

    [Fact]
    public void A_global_batch_that_does_not_divide_among_the_ranks_names_both_numbers()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "name: x\ndata: {dataset: xor}\nmodel: {kind: perceptron}\ntrain: {batch_size: 10}\n");
        var spec = SpecLoader.Load(path);
        File.Delete(path);

        var error = Assert.Throws<RunSetupException>(() => DataParallel.CheckSpec(spec, 4));

        Assert.Contains("train.batch_size 10 (the global batch) does not divide among 4 ranks", error.Message);
    }
}
