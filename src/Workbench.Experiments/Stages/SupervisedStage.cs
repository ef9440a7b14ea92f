// Stage `supervised`: classification (cross-entropy, accuracy) and regression (MSE) on in-memory data.
// The loop reads top to bottom like nanoGPT's train.py: lr for this step, forward, backward, clip,
// step, zero-grad, log, evaluate and checkpoint on their intervals.
using System.Diagnostics;
using Workbench.Data;
using Workbench.Experiments.Building;
using Workbench.Experiments.Checkpoints;
using Workbench.Experiments.Data;
using Workbench.Experiments.Runs;
using Workbench.Torch;
using Workbench.Torch.Nn;
using Workbench.Torch.Optim;
using Workbench.Tracking;

namespace Workbench.Experiments.Stages;

public sealed class SupervisedStage : IStage
{
    private const int EvalChunk = 2048;   // rows per evaluation forward pass; big enough to amortise calls

    private readonly Specs.ModelSpec _model;
    private readonly SupervisedData _data;

    private SupervisedStage(Specs.ModelSpec model, SupervisedData data) => (_model, _data) = (model, data);

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
        return new SupervisedStage(spec.Model, data);
    }

    public void Dispose() => _data.Dispose();

    public void CheckInitialWeights(IReadOnlyDictionary<string, Tensor> weights) => InitialWeights.Check(CreateModel, weights);

    private Layer CreateModel() => ModelFactory.Supervised(_model, _data.Inputs, _data.Outputs);

    public StageResult Run(StageContext c)
    {
        var spec = c.Spec;
        var train = spec.Train;
        var data = _data;
        c.RecordData(data.ContentHash);
        using var model = CreateModel();
        model.To(c.Device);
        var parameters = model.Parameters().ToList();
        using var optimizer = OptimizerFactory.Create(train.Optimizer, model);

        var stepsPerEpoch = data.Train.Count / train.BatchSize;
        var totalSteps = TotalSteps(train.Epochs, train.MaxSteps, stepsPerEpoch);
        var schedule = OptimizerFactory.Schedule(train.Schedule, train.Optimizer.Lr, totalSteps);
        var order = new EpochOrder(spec.Seed, data.Train.Count);
        var loss = new LossMeter();
        var step = c.Restore(model, optimizer, loss);

        c.Observer.OnStart(c.Run.Id, c.Run.Name, totalSteps);
        c.Summary.Set("params", model.ParameterCount());
        var timing = new StepTiming(skipFirst: 10);
        var samplesPerStep = train.BatchSize;
        var microBatch = train.BatchSize / train.GradAccum;
        var metricName = spec.Metric.Name;

        // Evaluation runs in the spec's precision, as the forward passes of training do.
        (double Loss, double? Accuracy) EvaluateIn(SupervisedSplit split, int? batches)
        {
            using var amp = c.MixedPrecision();
            return Evaluate(model, data.Task, split, batches, train.BatchSize);
        }

        while (step < totalSteps)
        {
            if (c.Cancellation.IsCancellationRequested)
            {
                SaveStep(c, model, optimizer, step, stepsPerEpoch, loss, isBest: false);
                return new StageResult(RunStatus.Killed, $"interrupted at step {step}");
            }

            var lr = schedule.At(step);
            optimizer.SetLearningRate(lr);
            var logging = (step + 1) % train.LogEvery == 0 || step + 1 == totalSteps;
            var started = Stopwatch.GetTimestamp();
            var rows = order.Batch(step, stepsPerEpoch, train.BatchSize);
            var (stepLoss, gradNorm) = OptimizerStep.Run(model, parameters, optimizer, train.GradAccum, train.GradClip, logging, m =>
            {
                using var index = Tensor.FromSpan<long>(rows.AsSpan(m * microBatch, microBatch), ScalarType.Int64, [microBatch], c.Device);
                var x = data.Train.Features.IndexSelect(0, index);           // (b, F)
                var y = data.Train.Targets.IndexSelect(0, index);            // (b) or (b, 1)
                using var amp = c.MixedPrecision();
                return Loss(data.Task, model.Forward(x), y);                 // scalar
            });
            step++;
            timing.Add(Stopwatch.GetElapsedTime(started));

            if (c.DivergedAt(step, stepLoss) is { } diverged) return diverged;
            loss.Add(stepLoss);

            if (logging)
            {
                c.Log("train/loss", step, loss.TakeMean());
                c.Log("lr", step, lr);
                if (!double.IsNaN(gradNorm)) c.Log("grad_norm", step, gradNorm);
                c.Log("epoch", step, (double)step / stepsPerEpoch);
                if (timing.MeanMs is { } ms) c.Log("samples_per_s", step, samplesPerStep * 1000.0 / ms);
            }

            var evaluating = step % train.Eval.Every == 0 || step == totalSteps;
            var improved = false;
            if (evaluating && data.Val is { } val)
            {
                var (valLoss, valAcc) = EvaluateIn(val, train.Eval.Batches);
                c.Log("val/loss", step, valLoss);
                if (valAcc is { } acc) c.Log("val/acc", step, acc);
                improved = c.ImprovedOn(metricName);
                c.Observer.OnMessage($"step {step}: val/loss {valLoss:0.0000}" + (valAcc is { } a ? $"  val/acc {a:0.0000}" : ""));
            }
            if (logging || evaluating)
                c.Observer.OnProgress(new Runs.TrainingProgress(step, totalSteps, (double)step / stepsPerEpoch,
                    c.Summary.Final("train/loss"), metricName, c.Summary.Final(metricName),
                    timing.MeanMs is { } t ? samplesPerStep * 1000.0 / t : null, "samples"));

            if (improved || (step % train.Checkpoint.Every == 0 && step < totalSteps))
                SaveStep(c, model, optimizer, step, stepsPerEpoch, loss, improved);
        }

        if (data.Test is { } test)
        {
            var (testLoss, testAcc) = EvaluateIn(test, null);
            c.Log("test/loss", step, testLoss);
            if (testAcc is { } acc) c.Log("test/acc", step, acc);
            c.Observer.OnMessage($"test: loss {testLoss:0.0000}" + (testAcc is { } a ? $"  acc {a:0.0000}" : ""));
        }
        if (data.Regression is { } truth) ReportFit(c, model, truth);
        c.Checkpoints.SaveFinal(model.StateDict(), optimizer, State(step, stepsPerEpoch, loss, null));
        if (timing.MeanMs is { } mean)
        {
            c.Summary.Set("step_ms", mean);
            c.Summary.Set("samples_per_s", samplesPerStep * 1000.0 / mean);
        }
        c.Observer.OnEnd();
        return new StageResult(RunStatus.Finished);
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

    /// <summary>Mean loss and accuracy (null for regression) over a split, or its first <paramref name="batches"/> batches.</summary>
    private static (double Loss, double? Accuracy) Evaluate(Layer model, SupervisedTask task, SupervisedSplit split, int? batches, int batchSize)
    {
        model.Eval();
        try
        {
            using var noGrad = new NoGrad();
            var chunk = batches is null ? EvalChunk : batchSize;
            var rows = batches is { } b ? Math.Min(split.Count, b * batchSize) : split.Count;
            double lossSum = 0, correct = 0;
            for (var start = 0; start < rows; start += chunk)
            {
                using var scope = TensorScope.Begin();
                var n = Math.Min(chunk, rows - start);
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

    private static void SaveStep(StageContext c, Layer model, Optimizer optimizer, long step, long stepsPerEpoch, LossMeter loss, bool isBest) =>
        c.Checkpoints.SaveStep(model.StateDict(), optimizer, State(step, stepsPerEpoch, loss, c.Summary.Final(c.Spec.Metric.Name)), isBest);

    private static CheckpointState State(long step, long stepsPerEpoch, LossMeter loss, double? metric) =>
        new(step, step / stepsPerEpoch, step % stepsPerEpoch, Convert.ToBase64String(RngState.Capture().ToBytes()), metric, loss.Sum, loss.Count);
}
