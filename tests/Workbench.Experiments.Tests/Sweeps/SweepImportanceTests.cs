// A sweep's parameter importance from its stored trials: log-uniform values weigh by their logarithm,
// listed values as categories, only completed trials count, and too few of them give a reason, not figures.
using Workbench.Experiments.Sweeps;
using Workbench.Tracking;

namespace Workbench.Experiments.Tests.Sweeps;

public sealed class SweepImportanceTests
{
    private static readonly SweepParameter Lr = new("train.optimizer.lr", ParameterKind.LogUniform, null, 1e-5, 1e-1);
    private static readonly SweepParameter Activation = new("model.activation", ParameterKind.Values, ["relu", "tanh", "gelu"], 0, 0);
    private static readonly SweepParameter Batch = new("train.batch_size", ParameterKind.IntUniform, null, 16, 256);

    private static readonly SweepDefinition Sweep = new("sweep.yaml", "spec.yaml", [], SweepMethod.Random, new SweepMetric("val/acc", MetricGoal.Max),
        [Lr, Activation, Batch], [1], new SweepBudget(30, null, null), null, 1, 7, "hash");

    private static TrialRecord Trial(int number, TrialStatus status, double lr, string activation, long batch, double? score) =>
        new("sweep", number, SweepTrials.ParametersJson(new Dictionary<string, object>
        {
            [Lr.Path] = lr, [Activation.Path] = activation, [Batch.Path] = batch,
        }), status, score, null, 1, new Dictionary<long, string>(), null, null, null, null, null);

    // Accuracy peaks at lr 1e-3 (by decades, as log-uniform draws it), tanh a little worse, the batch size unused.
    private static List<TrialRecord> Trials(int count)
    {
        var random = new Random(3);
        return Enumerable.Range(0, count).Select(n =>
        {
            var lr = Math.Pow(10, -5 + 4 * random.NextDouble());
            var activation = (string)Activation.Values![random.Next(3)];
            var score = 0.98 - 0.02 * Math.Pow(Math.Log10(lr) + 3, 2) - (activation == "tanh" ? 0.03 : 0);
            return Trial(n, TrialStatus.Completed, lr, activation, random.Next(16, 257), score);
        }).ToList();
    }

    [Fact]
    public void The_learning_rate_by_decades_outranks_the_activation_and_the_unused_batch_size_is_near_zero()
    {
        var importance = SweepImportance.Of(Sweep, Trials(24));

        Assert.Null(importance.Reason);
        Assert.Equal(24, importance.Trials);
        var share = importance.Shares!.ToDictionary(s => s.Path, s => s.Share);
        Assert.Equal([Lr.Path, Activation.Path, Batch.Path], importance.Shares!.Select(s => s.Path));
        Assert.True(share[Lr.Path] > share[Activation.Path] && share[Activation.Path] > share[Batch.Path],
            string.Join(", ", share.Select(s => $"{s.Key} {s.Value:0.000}")));
        Assert.True(share[Batch.Path] < 0.05, $"batch {share[Batch.Path]:0.000}");
    }

    [Fact]
    public void Pruned_and_failed_trials_do_not_count_and_fewer_than_three_completed_give_the_reason()
    {
        var trials = new List<TrialRecord>
        {
            Trial(0, TrialStatus.Completed, 1e-3, "relu", 64, 0.97),
            Trial(1, TrialStatus.Pruned, 1e-5, "relu", 64, 0.40),
            Trial(2, TrialStatus.Failed, 1e-1, "tanh", 32, null),
            Trial(3, TrialStatus.Completed, 1e-2, "gelu", 128, 0.95),
        };

        var importance = SweepImportance.Of(Sweep, trials);

        Assert.Null(importance.Shares);
        Assert.Equal("not enough trials: 2 completed, 3 needed", importance.Reason);
    }
}
