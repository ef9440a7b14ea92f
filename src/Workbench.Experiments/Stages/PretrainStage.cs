// Stage `pretrain`: next-token prediction on a token stream (or makemore's name examples), as in
// nanoGPT's train.py: lr for this step (warmup then cosine), evaluate and sample on an interval,
// grad_accum micro-batches of forward/backward, clip, step, zero-grad, log.
using System.Diagnostics;
using Workbench.Data;
using Workbench.Experiments.Building;
using Workbench.Experiments.Checkpoints;
using Workbench.Experiments.Data;
using Workbench.Experiments.Runs;
using Workbench.Experiments.Sampling;
using Workbench.Experiments.Specs;
using Workbench.Models;
using Workbench.Torch;
using Workbench.Torch.Nn;
using Workbench.Torch.Optim;
using Workbench.Tracking;

namespace Workbench.Experiments.Stages;

public sealed class PretrainStage : IStage
{
    private readonly ModelSpec _model;
    private readonly LanguageData _data;

    private PretrainStage(ModelSpec model, LanguageData data) => (_model, _data) = (model, data);

    /// <summary>
    /// Loads the corpus and its tokenizer onto the device and checks that model.block_size fits the splits.
    /// Throws <see cref="DataException"/> for an unreadable corpus and <see cref="RunSetupException"/> for a spec it cannot fit.
    /// </summary>
    public static PretrainStage Load(ExperimentSpec spec, DataCache cache, Device device, Action<string> log)
    {
        var data = LanguageDatasets.Load(spec, cache, device, log);
        try
        {
            CheckWindows(data, spec.Model.BlockSize!.Value);
        }
        catch
        {
            data.Dispose();
            throw;
        }
        return new PretrainStage(spec.Model, data);
    }

    public void Dispose() => _data.Dispose();

    public void CheckInitialWeights(IReadOnlyDictionary<string, Tensor> weights) => InitialWeights.Check(CreateModel, weights);

    private Layer CreateModel() => ModelFactory.Language(_model, _data.Tokenizer.VocabSize);

    public StageResult Run(StageContext c)
    {
        var spec = c.Spec;
        var train = spec.Train;
        var metricName = spec.Metric.Name;   // val/loss or train/eval_loss: the best checkpoint's measure
        var data = _data;
        c.RecordData(data.ContentHash, data.Tokenizer.Hash);
        var tokenizerPath = Path.Combine(c.Run.RunDir, "tokenizer.json");
        AtomicFile.WriteAllText(tokenizerPath, data.Tokenizer.Save());
        c.Store.AddArtifact(c.Run.Id, tokenizerPath, "tokenizer");

        var blockSize = spec.Model.BlockSize!.Value;

        using var model = CreateModel();
        model.To(c.Device);
        var parameters = model.Parameters().ToList();
        using var optimizer = OptimizerFactory.Create(train.Optimizer, model);
        var totalSteps = (long)train.MaxSteps!.Value;
        var schedule = OptimizerFactory.Schedule(train.Schedule, train.Optimizer.Lr, totalSteps);
        var isGpt = model is Gpt;
        var microBatch = train.BatchSize / train.GradAccum;
        var tokensPerStep = (long)train.BatchSize * (isGpt ? blockSize : 1);
        var flopsPerToken = model is Gpt gpt ? gpt.Config.FlopsPerToken(gpt.NonEmbeddingParameterCount()) : 6.0 * model.ParameterCount();
        var peakFlops = DevicePeak.FlopsPerSecond(c.Device);
        var loss = new LossMeter();
        var step = c.Restore(model, optimizer, loss);
        // Passes over the training split: tokens predicted so far over the tokens (names: examples) in it.
        double Epoch(long s) => (double)s * tokensPerStep / Math.Max(1, data.Train.Tokens);

        c.Observer.OnStart(c.Run.Id, c.Run.Name, totalSteps);
        c.Summary.Set("params", model.ParameterCount());
        c.Summary.Set("vocab_size", data.Tokenizer.VocabSize);
        var timing = new StepTiming(skipFirst: 10);

        while (step < totalSteps)
        {
            if (c.Cancellation.IsCancellationRequested)
            {
                SaveStep(c, model, optimizer, step, loss, isBest: false);
                return new StageResult(RunStatus.Killed, $"interrupted at step {step}");
            }

            var lr = schedule.At(step);
            optimizer.SetLearningRate(lr);
            var logging = (step + 1) % train.LogEvery == 0 || step + 1 == totalSteps;
            var started = Stopwatch.GetTimestamp();
            var (stepLoss, gradNorm) = OptimizerStep.Run(model, parameters, optimizer, train.GradAccum, train.GradClip, logging, _ =>
            {
                var (x, y) = data.Train.Sample(microBatch, blockSize, isGpt, c.Device);   // (b, T), (b, T) or (b)
                using var amp = c.MixedPrecision();
                return NextTokenLoss(model.Forward(x), y);
            });
            step++;
            timing.Add(Stopwatch.GetElapsedTime(started));

            if (c.DivergedAt(step, stepLoss) is { } diverged) return diverged;
            loss.Add(stepLoss);

            double? tokensPerSecond = timing.MeanMs is { } ms ? tokensPerStep * 1000.0 / ms : null;
            if (logging)
            {
                c.Log("train/loss", step, loss.TakeMean());
                c.Log("lr", step, lr);
                if (!double.IsNaN(gradNorm)) c.Log("grad_norm", step, gradNorm);
                c.Log("tokens", step, step * tokensPerStep);
                c.Log("epoch", step, Epoch(step));
                if (tokensPerSecond is { } rate)
                {
                    c.Log("tokens_per_s", step, rate);
                    if (peakFlops > 0) c.Log("mfu", step, rate * flopsPerToken / peakFlops);
                }
            }

            var evaluating = step % train.Eval.Every == 0 || step == totalSteps;
            var improved = false;
            if (evaluating)
            {
                double trainLoss, valLoss;
                using (c.MixedPrecision())
                {
                    trainLoss = Evaluate(model, data.Train, train.Eval.Batches, microBatch, blockSize, isGpt, c.Device);
                    valLoss = Evaluate(model, data.Val, train.Eval.Batches, microBatch, blockSize, isGpt, c.Device);
                }
                c.Log("train/eval_loss", step, trainLoss);
                c.Log("val/loss", step, valLoss);
                improved = c.ImprovedOn(metricName);
                var text = Sample(c, model, data, blockSize, step);
                c.Observer.OnMessage($"step {step}: train {trainLoss:0.0000}  val {valLoss:0.0000}  sample: {Preview(text)}");
            }
            if (logging || evaluating)
                c.Observer.OnProgress(new TrainingProgress(step, totalSteps, Epoch(step), c.Summary.Final("train/loss"), metricName,
                    c.Summary.Final(metricName), tokensPerSecond, "tokens"));

            if (improved || (step % train.Checkpoint.Every == 0 && step < totalSteps))
                SaveStep(c, model, optimizer, step, loss, improved);
        }

        c.Checkpoints.SaveFinal(model.StateDict(), optimizer, State(c, step, loss));
        if (timing.MeanMs is { } mean)
        {
            c.Summary.Set("step_ms", mean);
            c.Summary.Set("tokens_per_s", tokensPerStep * 1000.0 / mean);
        }
        c.Observer.OnEnd();
        return new StageResult(RunStatus.Finished);
    }

    /// <summary>
    /// A token stream needs block_size + 1 tokens for one (input, target) window; a shorter val split would
    /// evaluate to NaN after the whole run has trained, so it is refused before the run exists.
    /// </summary>
    private static void CheckWindows(LanguageData data, int blockSize)
    {
        foreach (var (name, split) in new[] { ("train", data.Train), ("val", data.Val) })
        {
            if (split.Stream != null && split.Tokens <= blockSize)
                throw new RunSetupException(
                    $"the {name} split has {split.Tokens} tokens, too few for one window of model.block_size {blockSize} plus its next token; " +
                    $"use a longer text{(name == "val" ? ", a larger data.split.val" : "")} or a smaller block_size");
        }
    }

    // GPT: (B, T, V) logits against (B, T) targets; char MLP: (B, V) against (B).
    private static Tensor NextTokenLoss(Tensor logits, Tensor targets) =>
        logits.Dim == 3
            ? Functional.CrossEntropy(logits.Reshape(-1, logits.Size(-1)), targets.Reshape(-1))
            : Functional.CrossEntropy(logits, targets);

    /// <summary>
    /// Mean loss over consecutive, non-overlapping windows from the start of the split (all of it, or
    /// the first <paramref name="batches"/> batches): deterministic, and it draws nothing from the RNG.
    /// </summary>
    private static double Evaluate(Layer model, TokenSplit split, int? batches, int batchSize, int blockSize, bool isGpt, Device device)
    {
        model.Eval();
        try
        {
            using var noGrad = new NoGrad();
            var examples = split.Contexts != null ? split.Tokens : (split.Tokens - 1) / blockSize;
            var limit = batches is { } b ? Math.Min(examples, (long)b * batchSize) : examples;
            double sum = 0;
            long counted = 0;
            for (long start = 0; start < limit; start += batchSize)
            {
                using var scope = TensorScope.Begin();
                var n = (int)Math.Min(batchSize, limit - start);
                Tensor x, y;
                if (split.Contexts != null)
                {
                    x = split.Contexts.Narrow(0, start, n);
                    y = split.Targets!.Narrow(0, start, n);
                }
                else
                {
                    var window = split.Stream!.Narrow(0, start * blockSize, (long)n * blockSize + 1);          // (n*T + 1)
                    x = window.Narrow(0, 0, (long)n * blockSize).Reshape(n, blockSize);                       // (n, T)
                    var next = window.Narrow(0, 1, (long)n * blockSize).Reshape(n, blockSize);                // (n, T)
                    y = isGpt ? next : next.Narrow(1, blockSize - 1, 1).Squeeze(1);
                }
                sum += NextTokenLoss(model.Forward(x), y).Item() * n;
                counted += n;
            }
            return counted == 0 ? double.NaN : sum / counted;
        }
        finally
        {
            model.Train();
        }
    }

    /// <summary>Samples the spec's `sample` settings and stores the text as an artifact; leaves the training RNG untouched.</summary>
    private static string Sample(StageContext c, Layer model, LanguageData data, int blockSize, long step)
    {
        var sample = c.Spec.Sample;
        var rng = RngState.Capture();
        try
        {
            Torch.Torch.ManualSeed(c.Spec.Seed + step);
            var prompt = data.Tokenizer.Encode(sample.Prompt);
            using var amp = c.MixedPrecision();
            var ids = TextSampler.Generate(model, blockSize, SampleText.Boundary(data.Tokenizer, c.Spec.Data.Dataset), prompt,
                new SampleSettings(sample.Tokens, sample.Temperature, sample.TopK, SampleText.NeverDrawn(data.Tokenizer, c.Spec.Data.Dataset)), c.Device);
            var text = sample.Prompt + SampleText.For(data.Tokenizer, c.Spec.Data.Dataset).Render(ids);
            var path = Path.Combine(c.Run.RunDir, "samples", $"sample-{step:D8}.txt");
            AtomicFile.WriteAllText(path, text);
            c.Store.AddArtifact(c.Run.Id, path, RunReports.SampleKind);
            return text;
        }
        finally
        {
            rng.Restore();
        }
    }

    private static string Preview(string text)
    {
        var flat = text.ReplaceLineEndings(" ⏎ ");
        return flat.Length <= 60 ? flat : flat[..60] + "…";
    }

    private static void SaveStep(StageContext c, Layer model, Optimizer optimizer, long step, LossMeter loss, bool isBest) =>
        c.Checkpoints.SaveStep(model.StateDict(), optimizer, State(c, step, loss), isBest);

    private static CheckpointState State(StageContext c, long step, LossMeter loss) =>
        new(step, 0, step, Convert.ToBase64String(RngState.Capture().ToBytes()), c.Summary.Final(c.Spec.Metric.Name), loss.Sum, loss.Count);
}
