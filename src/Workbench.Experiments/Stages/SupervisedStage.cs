// Stage `supervised`: classification (cross-entropy, accuracy) and regression (MSE) on in-memory data.
// The stage is an objective of the one training loop (Training/TrainingLoop.cs): a step is a batch of
// rows in a seeded per-epoch order; evaluation is the val split; the test split is measured at the end.
// Data parallel: every rank draws the same global batch and trains on its own slice of it; evaluations
// split the rows between the ranks and sum their losses and counts.
using Workbench.Data;
using Workbench.Experiments.Building;
using Workbench.Experiments.Data;
using Workbench.Experiments.Runs;
using Workbench.Experiments.Training;
using Workbench.Torch;
using Workbench.Torch.Nn;
using Workbench.Torch.Optim;

namespace Workbench.Experiments.Stages;

public sealed class SupervisedStage : IStage
{
    private const int EvalChunk = 2048;   // rows per evaluation forward pass; big enough to amortise calls

    private readonly Specs.SupervisedModelSpec _model;
    private readonly SupervisedData _data;

    private SupervisedStage(Specs.SupervisedModelSpec model, SupervisedData data) => (_model, _data) = (model, data);

    /// <summary>
    /// Loads the dataset onto the device and checks that one batch fits its training split. Throws
    /// <see cref="DataException"/> for data that cannot be read and <see cref="RunSetupException"/> for a spec it cannot fit.
    /// </summary>
    public static SupervisedStage Load(Specs.ExperimentSpec spec, DataCache cache, Device device)
    {
        var data = SupervisedDatasets.Load(spec.Data, cache, spec.Seed, device);
        if (data.Train.Count < spec.Train.BatchSize)
        {
            var rows = data.Train.Count;
            data.Dispose();
            throw new RunSetupException($"train.batch_size {spec.Train.BatchSize} is larger than the training split ({rows} rows); " +
                                        "an epoch drops its last partial batch, so not one step would run");
        }
        return new SupervisedStage((Specs.SupervisedModelSpec)spec.Model, data);   // the stage table admits only supervised kinds
    }

    public void Dispose() => _data.Dispose();

    public void CheckInitialWeights(IReadOnlyDictionary<string, Tensor> weights) => InitialWeights.Check(CreateModel, weights);

    private Layer CreateModel() => _model.Build(new Specs.SupervisedShape(_data.Inputs, _data.Outputs, _data.Image));

    public StageResult Run(StageContext c)
    {
        c.RecordData(_data.ContentHash);
        using var model = CreateModel();
        model.To(c.Device);
        using var optimizer = OptimizerFactory.Create(c.Spec.Train.Optimizer, model);
        return TrainingLoop.Run(c, new Objective(c, _data, model, optimizer));
    }

    /// <summary>One step: a batch of rows in this epoch's order; evaluation on the val split, and the test split at the end.</summary>
    private sealed class Objective(StageContext c, SupervisedData data, Layer model, Optimizer optimizer) : ITrainingObjective
    {
        private readonly Specs.TrainSpec _train = c.Spec.Train;
        private readonly IReadOnlyList<Tensor> _parameters = model.Parameters().ToList();
        private readonly EpochOrder _order = new(c.Spec.Seed, data.Train.Count);
        private readonly long _stepsPerEpoch = data.Train.Count / c.Spec.Train.BatchSize;

        public TrainedModules Trained { get; } = TrainedModules.Of(model, optimizer);

        // An epoch visits the rows of its whole batches; the last partial batch is dropped.
        public TrainingItems Items => new("samples", _train.BatchSize, _stepsPerEpoch * _train.BatchSize);

        public long TotalSteps => SupervisedStage.TotalSteps(_train.Epochs, _train.MaxSteps, _stepsPerEpoch);

        public StepResult Step(long step, bool logging)
        {
            var rows = _order.Batch(step, _stepsPerEpoch, _train.BatchSize);
            if (c.Parallel is { } parallel) rows = parallel.ShardOf(rows);
            var microBatch = rows.Length / _train.GradAccum;
            var (loss, gradNorm) = OptimizerStep.Run(model, _parameters, optimizer, _train.GradAccum, _train.GradClip, logging, c.Parallel, step, m =>
            {
                using var index = Tensor.FromSpan<long>(rows.AsSpan(m * microBatch, microBatch), ScalarType.Int64, [microBatch], c.Device);
                var x = data.Train.Features.IndexSelect(0, index);           // (b, F)
                var y = data.Train.Targets.IndexSelect(0, index);            // (b) or (b, 1)
                using var amp = c.MixedPrecision();
                return Loss(data.Task, model.Forward(x), y);                 // scalar
            });
            return new StepResult(loss, gradNorm, []);
        }

        public Evaluation Evaluate(long step)
        {
            if (data.Val is not { } val) return Evaluation.Nothing;
            var (loss, accuracy) = EvaluateIn(val, _train.Eval.Batches);
            return accuracy is { } acc
                ? new Evaluation([("val/loss", loss), ("val/acc", acc)], $"val/loss {loss:0.0000}  val/acc {acc:0.0000}")
                : new Evaluation([("val/loss", loss)], $"val/loss {loss:0.0000}");
        }

        public void Finish(long step)
        {
            if (data.Test is { } test)
            {
                var (testLoss, testAcc) = EvaluateIn(test, null);
                c.Log("test/loss", step, testLoss);
                if (testAcc is { } acc) c.Log("test/acc", step, acc);
                c.Observer.OnMessage($"test: loss {testLoss:0.0000}" + (testAcc is { } a ? $"  acc {a:0.0000}" : ""));
            }
            if (data.Regression is { } truth) ReportFit(c, model, truth);
        }

        // Evaluation runs in the spec's precision, as the forward passes of training do.
        private (double Loss, double? Accuracy) EvaluateIn(SupervisedSplit split, int? batches)
        {
            using var amp = c.MixedPrecision();
            return SupervisedStage.Evaluate(model, data.Task, split, batches, _train.BatchSize, c.Parallel);
        }
    }

    /// <summary>Steps in the run: the epochs' worth or max_steps, whichever ends first; one epoch when neither is set.</summary>
    public static long TotalSteps(int? epochs, int? maxSteps, long stepsPerEpoch)
    {
        var byEpochs = epochs is { } e ? e * stepsPerEpoch : long.MaxValue;
        var bySteps = maxSteps ?? long.MaxValue;
        var total = Math.Min(byEpochs, bySteps);
        return total == long.MaxValue ? stepsPerEpoch : total;
    }

    private static Tensor Loss(SupervisedTask task, Tensor output, Tensor target) => task switch
    {
        SupervisedTask.MultiClass => Functional.CrossEntropy(output, target),
        SupervisedTask.Binary => Functional.BinaryCrossEntropyWithLogits(output, target),
        _ => Functional.MseLoss(output, target),
    };

    /// <summary>
    /// Mean loss and accuracy (null for regression) over a split, or its first <paramref name="batches"/> batches;
    /// with <paramref name="parallel"/>, each rank takes its share of those rows and the sums are reduced.
    /// </summary>
    private static (double Loss, double? Accuracy) Evaluate(Layer model, SupervisedTask task, SupervisedSplit split, int? batches, int batchSize,
        Training.DataParallel? parallel)
    {
        model.Eval();
        try
        {
            using var noGrad = new NoGrad();
            var chunk = batches is null ? EvalChunk : batchSize;
            var rows = batches is { } b ? Math.Min(split.Count, b * batchSize) : split.Count;
            var (first, count) = parallel?.Shard(rows) ?? (0, rows);
            double lossSum = 0, correct = 0;
            for (var start = (int)first; start < first + count; start += chunk)
            {
                using var scope = TensorScope.Begin();
                var n = (int)Math.Min(chunk, first + count - start);
                var x = split.Features.Narrow(0, start, n);
                var y = split.Targets.Narrow(0, start, n);
                var output = model.Forward(x);
                lossSum += Loss(task, output, y).Item() * n;
                correct += task switch
                {
                    SupervisedTask.MultiClass => output.ArgMax(1).Eq(y).Sum().Item(),
                    SupervisedTask.Binary => output.Gt(0).Eq(y.Gt(0.5)).Sum().Item(),
                    _ => 0,
                };
            }
            if (parallel != null)
            {
                var sums = parallel.Sum(lossSum, correct);
                (lossSum, correct) = (sums[0], sums[1]);
            }
            return (lossSum / rows, task == SupervisedTask.Regression ? null : correct / rows);
        }
        finally
        {
            model.Train();
        }
    }

    /// <summary>For data with a known truth (linreg): how far the fitted weights and bias are from it.</summary>
    private static void ReportFit(StageContext c, Layer model, Workbench.Data.RegressionData truth)
    {
        var state = model.StateDict();
        var weight = state.Where(p => p.Key.EndsWith("weight", StringComparison.Ordinal)).Select(p => p.Value).Last().ToFloatArray();
        var bias = state.Where(p => p.Key.EndsWith("bias", StringComparison.Ordinal)).Select(p => p.Value).Last().ToFloatArray();
        if (weight.Length != truth.TrueWeights.Length) return;  // a hidden layer: no single w to compare
        var weightError = weight.Zip(truth.TrueWeights, (w, t) => Math.Abs(w - t) / Math.Max(Math.Abs(t), 1e-12)).Max();
        var biasError = Math.Abs(bias[0] - truth.TrueBias) / Math.Max(Math.Abs(truth.TrueBias), 1e-12);
        c.Summary.Set("fit/weight_rel_error", weightError);
        c.Summary.Set("fit/bias_rel_error", biasError);
        c.Observer.OnMessage($"fit: w = [{string.Join(", ", weight)}] (true [{string.Join(", ", truth.TrueWeights)}]), b = {bias[0]} (true {truth.TrueBias})");
    }
}
