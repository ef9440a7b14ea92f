// What logging costs the MNIST MLP train step (the target: <= 1% of the step). The step is
// the supervised stage's own (OptimizerStep on real MNIST, 784-200-100-75-10 ReLU, batch 128, Adam);
// logging is what the stage does on a logging step: the gradient norm, then train/loss, lr, grad_norm,
// epoch and samples_per_s into a MetricWriter on a SQLite run store and the run summary.
// The steps with and without logging differ by less than a shared machine's noise, so the logging
// work is also timed alone, its points written to SQLite in the timed loop (a 1000-point transaction
// per invocation): with log_every k it costs the step Logging_alone / k. Results: benchmarks/results/tracking.md.
//   dotnet run -c Release --project benchmarks/Workbench.Benchmarks -- --filter '*MnistStepLogging*' --inProcess
// Threads come from WORKBENCH_BENCH_THREADS (default: all cores), as for the engine benchmarks.
using BenchmarkDotNet.Attributes;
using Workbench.Data;
using Workbench.Experiments.Data;
using Workbench.Experiments.Runs;
using Workbench.Experiments.Stages;
using Workbench.Models;
using Workbench.Torch;
using Workbench.Torch.Nn;
using Workbench.Torch.Optim;
using Workbench.Tracking;
using Engine = Workbench.Torch.Torch;

namespace Workbench.Benchmarks;

[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(20)]
public class MnistStepLoggingBenchmarks
{
    private const int BatchSize = 128;
    private const int StepsPerInvoke = 50;
    private const int LogsPerInvoke = 200;   // 1000 points: one of MetricWriter's transactions

    private SupervisedData _data = null!;
    private Mlp _model = null!;
    private List<Tensor> _parameters = null!;
    private Adam _optimizer = null!;
    private EpochOrder _order = null!;
    private long _stepsPerEpoch;
    private long _step;
    private ScratchStore _scratch = null!;
    private MetricWriter _metrics = null!;
    private RunSummary _summary = null!;

    [GlobalSetup]
    public void Setup()
    {
        BenchSetup.Threads();
        Engine.ManualSeed(1337);
        _data = SupervisedData.FromClassification(Datasets.Mnist(DataCache.Default(), 0.1, 1337), binary: false, Device.Cpu);
        _model = new Mlp(784, [200, 100, 75], 10, ActivationKind.Relu);
        _parameters = _model.Parameters().ToList();
        _optimizer = new Adam(_parameters, 1e-3);
        _order = new EpochOrder(1337, _data.Train.Count);
        _stepsPerEpoch = _data.Train.Count / BatchSize;

        _scratch = new ScratchStore("val/acc", MetricGoal.Max);
        _metrics = _scratch.Store.OpenMetricWriter(_scratch.RunId);
        _summary = new RunSummary();
        // Gradients for Logging_alone to measure (a step's OptimizerStep clears them again).
        using (TensorScope.Begin()) Loss(_order.Batch(0, _stepsPerEpoch, BatchSize)).Backward();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _metrics.Dispose();
        _scratch.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
        _data.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = StepsPerInvoke)]
    public void Step_without_logging()
    {
        for (var i = 0; i < StepsPerInvoke; i++) Step(logging: false);
    }

    /// <summary>log_every 1: the worst case; the configs log every 10 (the default) or 50 steps.</summary>
    [Benchmark(OperationsPerInvoke = StepsPerInvoke)]
    public void Step_logging_every_step()
    {
        for (var i = 0; i < StepsPerInvoke; i++) Step(logging: true);
    }

    /// <summary>A logging step's own work: the gradient norm, and five points into the summary and SQLite.</summary>
    [Benchmark(OperationsPerInvoke = LogsPerInvoke)]
    public void Logging_alone()
    {
        for (var i = 0; i < LogsPerInvoke; i++, _step++) LogStep(1.0, GradClip.GradNorm(_parameters));
        _metrics.Flush();
    }

    /// <summary>Logging_alone less the gradient norm: what the run store's side costs.</summary>
    [Benchmark(OperationsPerInvoke = LogsPerInvoke)]
    public void Metric_points_alone()
    {
        for (var i = 0; i < LogsPerInvoke; i++, _step++) LogStep(1.0, 2.0);
        _metrics.Flush();
    }

    private void Step(bool logging)
    {
        var rows = _order.Batch(_step, _stepsPerEpoch, BatchSize);
        var (loss, gradNorm) = OptimizerStep.Run(_model, _parameters, _optimizer, 1, null, logging, parallel: null, _step, _ => Loss(rows));
        _step++;
        if (logging) LogStep(loss, gradNorm);
    }

    private Tensor Loss(long[] rows)
    {
        using var index = Tensor.FromSpan<long>(rows, ScalarType.Int64, [BatchSize], Device.Cpu);
        var x = _data.Train.Features.IndexSelect(0, index);   // (B, 784)
        var y = _data.Train.Targets.IndexSelect(0, index);    // (B)
        return Functional.CrossEntropy(_model.Forward(x), y);
    }

    // The points the supervised stage logs each log interval, each as StageContext.Log writes it.
    private void LogStep(double loss, double gradNorm)
    {
        Log("train/loss", loss);
        Log("lr", 1e-3);
        Log("grad_norm", gradNorm);
        Log("epoch", (double)_step / _stepsPerEpoch);
        Log("samples_per_s", 50_000);
    }

    private void Log(string key, double value)
    {
        _metrics.Log(key, _step, value);
        _summary.Observe(key, value);
    }
}
