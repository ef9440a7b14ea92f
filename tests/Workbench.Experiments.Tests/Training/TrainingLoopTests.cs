// The training loop as `workbench run` drives it (the runner, a real stage, a real run database) on
// linreg: synthetic data and a linear model, so a run of a few hundred steps takes well under a second.
using Workbench.Experiments.Checkpoints;
using Workbench.Experiments.Runs;
using Workbench.Experiments.Specs;
using Workbench.Experiments.Tests.Specs;
using Workbench.Torch;
using Workbench.Tracking;

namespace Workbench.Experiments.Tests.Training;

public sealed class TrainingLoopTests : IDisposable
{
    private const string LinReg = """
        name: loop-test
        seed: 7
        device: cpu
        threads: 1
        data:
          dataset: linreg
          split: {val: 0.2}
        model:
          kind: linear
        train:
          optimizer: {name: sgd, lr: 0.05}
          batch_size: 32
          max_steps: 60
          log_every: 1
          eval: {every: 10}
          checkpoint: {every: 20, keep: 2}
        """;

    private readonly SpecFolder _folder = new();

    private string Database => Path.Combine(_folder.Root, "runs", "workbench.db");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_loss_that_becomes_infinite_ends_the_run_as_diverged()
    {
        // Given a learning rate that makes plain SGD blow up
        var spec = _folder.Load(LinReg, "train.optimizer.lr=1e6");

        // When it runs
        var outcome = Start(spec);

        // Then the run is diverged, says where, and its last train/loss point is not finite
        Assert.Equal(RunStatus.Diverged, outcome.Status);
        Assert.Contains("the loss became", outcome.Error);
        var losses = Metric(outcome.RunId, "train/loss");
        Assert.False(double.IsFinite(losses.Values[^1]));
        Assert.True(losses.Steps[^1] < 60, $"diverged at step {losses.Steps[^1]}");
    }

    [Fact]
    public void A_run_of_three_hundred_steps_leaves_no_tensor_behind()
    {
        // Given a run with evaluations, step, best and final checkpoints, and a test split at the end
        var spec = _folder.Load(LinReg, "train.max_steps=300", "data.split.test=0.1");
        var before = TensorCensus.Take();

        // When it runs to the end
        var outcome = Start(spec);

        // Then every tensor it made is freed, by Dispose and not by the finalizer
        Assert.Equal(RunStatus.Finished, outcome.Status);
        Assert.Equal(before, TensorCensus.Take());
    }

    [Fact]
    public void A_run_interrupted_and_resumed_has_the_losses_and_weights_of_one_never_interrupted()
    {
        // Given one run that goes through, and one Ctrl-C'd after step 25 (between checkpoints)
        var spec = _folder.Load(LinReg);
        var whole = Start(spec);
        using var interrupt = new CancellationTokenSource();
        var killed = new ExperimentRunner(new CancelAfter(25, interrupt), interrupt.Token).Start(spec, Request);
        Assert.Equal(RunStatus.Killed, killed.Status);

        // When the interrupted one is resumed
        var resumed = new ExperimentRunner(SilentObserver.Instance, CancellationToken.None).Resume(Database, killed.RunId);

        // Then it finishes with the same train and val losses, to the bit, at the same steps, and the same weights
        Assert.Equal(RunStatus.Finished, resumed.Status);
        foreach (var key in new[] { "train/loss", "val/loss", "grad_norm" })
        {
            var expected = Metric(whole.RunId, key);
            var actual = Metric(killed.RunId, key);
            Assert.Equal(expected.Steps, actual.Steps);
            Assert.Equal(expected.Values, actual.Values);
        }
        using var wholeFinal = FinalCheckpoint(whole.RunId);
        using var resumedFinal = FinalCheckpoint(killed.RunId);
        foreach (var (name, weight) in wholeFinal.Model)
            Assert.Equal(weight.ToArray<float>(), resumedFinal.Model[name].ToArray<float>());
    }

    private RunRequest Request => new(Database, "test");

    private RunOutcome Start(ExperimentSpec spec) =>
        new ExperimentRunner(SilentObserver.Instance, CancellationToken.None).Start(spec, Request);

    private MetricSeries Metric(string runId, string key)
    {
        using var store = RunStore.Open(Database);
        return store.GetMetrics(runId, [key])[key];
    }

    private Checkpoint FinalCheckpoint(string runId)
    {
        using var store = RunStore.Open(Database);
        return CheckpointStore.Load(new CheckpointStore(store.Get(runId).RunDir, 1).PathOf(CheckpointStore.Final));
    }
}
