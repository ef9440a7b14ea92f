// Stage `pretrain`: next-token prediction on a token stream (or makemore's name examples), as in
// nanoGPT's train.py; an objective of the one training loop (Training/TrainingLoop.cs): a step is
// grad_accum micro-batches of random windows, an evaluation is both splits' loss and a sample.
// Data parallel: each rank draws its share of the batch's windows from its own generator (seeded per
// rank, as nanoGPT's DDP offsets its seed); evaluations split the windows (and, on the task suite, the
// held-out prompts) between the ranks and add up their sums.
using Workbench.Data;
using Workbench.Experiments.Building;
using Workbench.Experiments.Catalog;
using Workbench.Experiments.Data;
using Workbench.Experiments.Evals;
using Workbench.Experiments.Generation;
using Workbench.Experiments.Lineage;
using Workbench.Experiments.Runs;
using Workbench.Experiments.Sampling;
using Workbench.Experiments.Specs;
using Workbench.Experiments.Training;
using Workbench.Models;
using Workbench.Torch;
using Workbench.Torch.Nn;
using Workbench.Torch.Optim;

namespace Workbench.Experiments.Stages;

public sealed class PretrainStage : IStage
{
    private readonly LanguageModelSpec _model;
    private readonly LanguageData _data;

    private PretrainStage(LanguageModelSpec model, LanguageData data) => (_model, _data) = (model, data);

    /// <summary>
    /// Loads the corpus and its tokenizer onto the device and checks that model.block_size fits the splits.
    /// Throws <see cref="DataException"/> for an unreadable corpus and <see cref="RunSetupException"/> for a spec it cannot fit.
    /// </summary>
    public static PretrainStage Load(ExperimentSpec spec, StageSetup setup)
    {
        var model = (LanguageModelSpec)spec.Model;    // the stage table lets only language models reach this stage
        var data = LanguageDatasets.Load(spec, setup.Cache, setup.Device, setup.Log, setup.InitFrom?.Tokenizer);
        try
        {
            CheckWindows(data, model.BlockSize);
        }
        catch
        {
            data.Dispose();
            throw;
        }
        return new PretrainStage(model, data);
    }

    public void Dispose() => _data.Dispose();

    public void CheckInitialWeights(IReadOnlyDictionary<string, Tensor> weights) => InitialWeights.Check(CreateModel, weights);

    private Layer CreateModel() => _model.Build(_data.Tokenizer.VocabSize);

    public StageResult Run(StageContext c)
    {
        TrainedModel.RecordText(c, _data.ContentHash, _data.Tokenizer);

        using var model = CreateModel();
        model.To(c.Device);
        using var optimizer = OptimizerFactory.Create(c.Spec.Train.Optimizer, model);
        return TrainingLoop.Run(c, new Objective(c, _data, _model.BlockSize, model, optimizer));
    }

    /// <summary>One step: random windows of the training split; evaluation on both splits, with a sample.</summary>
    private sealed class Objective(StageContext c, LanguageData data, int blockSize, Layer model, Optimizer optimizer) : ITrainingObjective
    {
        private readonly Specs.TrainSpec _train = c.Spec.Train;
        private readonly int _blockSize = blockSize;
        private readonly IReadOnlyList<Tensor> _parameters = model.Parameters().ToList();
        private readonly bool _isGpt = model is Gpt;

        public TrainedModules Trained { get; } = TrainedModules.Of(model, optimizer);

        // A GPT predicts every position of its windows; the char MLP one token per example. An epoch is
        // the tokens (names: examples) in the training split.
        public TrainingItems Items => new("tokens", TokensPerStep, Math.Max(1, data.Train.Tokens),
            model is Gpt gpt ? gpt.Config.FlopsPerToken(gpt.NonEmbeddingParameterCount()) : 6.0 * model.ParameterCount());

        public long TotalSteps => _train.MaxSteps!.Value;

        // Rows per forward pass on this rank: its share of the global batch, in grad_accum pieces.
        private int MicroBatch => _train.BatchSize / (c.Parallel?.WorldSize ?? 1) / _train.GradAccum;

        // Evaluation batches keep the single-process size, so that eval.batches covers the same windows.
        private int EvalBatch => _train.BatchSize / _train.GradAccum;

        private long TokensPerStep => (long)_train.BatchSize * (_isGpt ? _blockSize : 1);

        public StepResult Step(long step, bool logging)
        {
            var (loss, gradNorm) = OptimizerStep.Run(model, _parameters, optimizer, _train.GradAccum, _train.GradClip, logging, c.Parallel, step, _ =>
            {
                var (x, y) = data.Train.Sample(MicroBatch, _blockSize, _isGpt, c.Device);   // (b, T), (b, T) or (b)
                using var amp = c.MixedPrecision();
                return NextTokenLoss(model.Forward(x), y);
            });
            return new StepResult(loss, gradNorm, logging ? [("tokens", (step + 1) * TokensPerStep)] : []);
        }

        public Evaluation Evaluate(long step)
        {
            double trainLoss, valLoss;
            using (c.MixedPrecision())
            {
                trainLoss = PretrainStage.Evaluate(model, data.Train, _train.Eval.Batches, EvalBatch, _blockSize, _isGpt, c.Device, c.Parallel);
                valLoss = PretrainStage.Evaluate(model, data.Val, _train.Eval.Batches, EvalBatch, _blockSize, _isGpt, c.Device, c.Parallel);
            }
            var text = c.Writes ? Sample(c, model, data, _blockSize, step) : "";
            if (data.Chat is { } chat && model is Gpt gpt)
            {
                // Pretraining on the task suite answers the held-out problems too: every later stage is compared with it.
                IReadOnlyList<(string Name, double Value)> solved;
                using (c.MixedPrecision()) solved = ExactMatch.Evaluate(gpt, chat, c.Device, parallel: c.Parallel);
                return new Evaluation([("train/eval_loss", trainLoss), ("val/loss", valLoss), .. solved],
                    $"train {trainLoss:0.0000}  val {valLoss:0.0000}  exact match {solved[0].Value:P1}");
            }
            return new Evaluation([("train/eval_loss", trainLoss), ("val/loss", valLoss)],
                $"train {trainLoss:0.0000}  val {valLoss:0.0000}  sample: {Preview(text)}");
        }

        public void Finish(long step) { }
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
    /// the first <paramref name="batches"/> batches): deterministic, and it draws nothing from the RNG. With
    /// <paramref name="parallel"/>, each rank takes its share of those windows and the sums are reduced.
    /// </summary>
    private static double Evaluate(Layer model, TokenSplit split, int? batches, int batchSize, int blockSize, bool isGpt, Device device,
        DataParallel? parallel)
    {
        model.Eval();
        try
        {
            using var noGrad = new NoGrad();
            var examples = split.Contexts != null ? split.Tokens : (split.Tokens - 1) / blockSize;
            var limit = batches is { } b ? Math.Min(examples, (long)b * batchSize) : examples;
            var (first, count) = parallel?.Shard(limit) ?? (0, limit);
            double sum = 0, counted = 0;
            for (var start = first; start < first + count; start += batchSize)
            {
                using var scope = TensorScope.Begin();
                var n = (int)Math.Min(batchSize, first + count - start);
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
            if (parallel != null)
            {
                var sums = parallel.Sum(sum, counted);
                (sum, counted) = (sums[0], sums[1]);
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
                new GenerationSettings(sample.Tokens, sample.Temperature, sample.TopK, NeverDrawn: SampleText.NeverDrawn(data.Tokenizer, c.Spec.Data.Dataset)), c.Device);
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
}
