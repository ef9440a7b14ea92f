// Stage `sft`: supervised fine-tuning of a GPT on conversations in the chat template, as TRL's
// SFTTrainer with completion-only loss: the loss covers the assistant's tokens and its end of turn
// (so the model learns to stop), never the prompt or the padding. A step is a batch of conversations,
// right-padded one per row (or packed into block_size rows with train.sft.packing); an evaluation is
// the held-out conversations' loss and the held-out prompts answered by greedy decoding.
// Data parallel: each rank takes its share of every micro-batch (ExampleBatches); its mean over its own
// answer tokens is weighted by its share of the micro-batch's answer tokens, so the averaged gradient and
// loss are the mean over all of them, as one process takes it. Evaluations split the held-out
// conversations and prompts between the ranks and add up their sums.
using Workbench.Data;
using Workbench.Data.Chat;
using Workbench.Experiments.Building;
using Workbench.Experiments.Catalog;
using Workbench.Experiments.Data;
using Workbench.Experiments.Evals;
using Workbench.Experiments.Lineage;
using Workbench.Experiments.Runs;
using Workbench.Experiments.Specs;
using Workbench.Experiments.Training;
using Workbench.Models;
using Workbench.Models.PostTraining;
using Workbench.Torch;
using Workbench.Torch.Optim;

namespace Workbench.Experiments.Stages;

public sealed class SftStage : IStage
{
    private readonly GptSpec _model;
    private readonly ChatData _data;

    private SftStage(GptSpec model, ChatData data) => (_model, _data) = (model, data);

    /// <summary>Loads the conversations and checks that each fits model.block_size and one batch fits the training set.</summary>
    public static SftStage Load(ExperimentSpec spec, StageSetup setup)
    {
        var model = (GptSpec)spec.Model;          // the stage table admits only gpt
        var data = ChatDatasets.Load(spec, setup.Cache, setup.Log, setup.InitFrom?.Tokenizer);
        var packing = spec.Train.Settings is SftSpec { Packing: true };
        if (!packing && data.LongestExample - 1 > model.BlockSize)
            throw new RunSetupException($"the longest conversation is {data.LongestExample} tokens, more than model.block_size {model.BlockSize} + 1; " +
                                        "raise block_size (a run started from another keeps that run's), shorten the data, or set train.sft.packing: true");
        StageChecks.BatchFits(spec.Train, data.Train.Count, "conversations");
        setup.Log($"{spec.Data.Dataset}: {data.Train.Count:N0} training and {data.Val.Count:N0} held-out conversations, vocabulary {data.Tokenizer.VocabSize}");
        return new SftStage(model, data);
    }

    public void Dispose() { }

    public void CheckInitialWeights(IReadOnlyDictionary<string, Tensor> weights) => InitialWeights.Check(() => _model.Build(_data.Tokenizer.VocabSize), weights);

    public StageResult Run(StageContext c)
    {
        TrainedModel.RecordText(c, _data.ContentHash, _data.Tokenizer);
        using var model = (Gpt)_model.Build(_data.Tokenizer.VocabSize);
        model.To(c.Device);
        using var optimizer = OptimizerFactory.Create(c.Spec.Train.Optimizer, model);
        return TrainingLoop.Run(c, new Objective(c, _data, model, optimizer));
    }

    private sealed class Objective(StageContext c, ChatData data, Gpt model, Optimizer optimizer) : ITrainingObjective
    {
        private readonly TrainSpec _train = c.Spec.Train;
        private readonly bool _packing = c.Spec.Train.Settings is SftSpec { Packing: true };
        private readonly IReadOnlyList<Tensor> _parameters = model.Parameters().ToList();
        private readonly ExampleBatches _batches = new(c.Spec.Train, c.Spec.Seed, data.Train.Count, c.Parallel);
        private long _tokens;        // answer tokens trained on so far, by all ranks (num_tokens)

        public TrainedModules Trained { get; } = TrainedModules.Of(model, optimizer);

        // Where the starting model stands on the same measures: the first point of every curve.
        public bool EvaluatesAtStart => c.InitialWeights != null;

        public TrainingItems Items => _batches.Items;

        public long TotalSteps => _batches.TotalSteps;

        private int MicroBatch => _batches.MicroBatch;

        public StepResult Step(long step, bool logging)
        {
            double right = 0, counted = 0;     // the last micro-batch's answer tokens predicted right, of how many (logging steps)
            var (loss, gradNorm) = OptimizerStep.Run(model, _parameters, optimizer, _train.GradAccum, _train.GradClip, logging, c.Parallel, step, m =>
            {
                var examples = _batches.Micro(step, m).Select(i => data.Train[i]).ToList();
                var batch = Rows(examples);
                long mine = batch.Targets.Count(t => t != TokenBatch.IgnoreIndex);
                var all = c.Parallel is null ? mine : _batches.GlobalMicro(step, m).Sum(i => AnswerTargets(data.Train[(int)i]));
                _tokens += all;
                using var amp = c.MixedPrecision();
                var sft = Loss(model, batch, c.Device);
                if (logging && m == _train.GradAccum - 1) (right, counted) = (sft.MeanTokenAccuracy.Item() * mine, mine);   // a sync, on logging steps only
                // A rank's mean over its answer tokens times world size x its share of the micro-batch's: the ranks'
                // average (of gradients and of losses) is then the mean over all of the micro-batch's answer tokens.
                return c.Parallel is { } p ? sft.Loss * ((double)mine * p.WorldSize / Math.Max(all, 1)) : sft.Loss;
            });
            if (!logging) return new StepResult(loss, gradNorm, []);
            var sums = RankReduce.Combine(c.Parallel, [(right, Across.Sum), (counted, Across.Sum)]);
            return new StepResult(loss, gradNorm, [("mean_token_accuracy", sums[0] / Math.Max(sums[1], 1)), ("num_tokens", _tokens)]);
        }

        public Evaluation Evaluate(long step)
        {
            double valLoss;
            using (c.MixedPrecision()) valLoss = HeldOutLoss(model, data, _batches, MicroBatch, c.Device, parallel: c.Parallel);
            IReadOnlyList<(string Name, double Value)> solved;
            using (c.MixedPrecision()) solved = ExactMatch.Evaluate(model, data, c.Device, parallel: c.Parallel);
            var exact = solved.First(m => m.Name == "val/exact_match").Value;
            return new Evaluation([("val/loss", valLoss), .. solved], $"val loss {valLoss:0.0000}  exact match {exact:P1}");
        }

        public void Finish(long step) { }

        private TokenBatch Rows(IReadOnlyList<ChatExample> examples) =>
            _packing ? TokenBatch.Packed(examples, data.Template.PadId, model.Config.BlockSize) : TokenBatch.Padded(examples, data.Template.PadId);
    }

    private static SftLoss Loss(Gpt model, TokenBatch batch, Device device)
    {
        var (inputs, targets, mask) = ChatTensors.Shifted(batch, device);
        return SftLoss.Compute(model.Forward(inputs), targets, mask);
    }

    /// <summary>The targets an example is trained on in its row: its trained tokens after the first.</summary>
    private static long AnswerTargets(ChatExample example) => example.Trained.Skip(1).Count(t => t);

    /// <summary>Mean answer-token loss over the held-out conversations, weighted by their tokens; each rank takes its share.</summary>
    private static double HeldOutLoss(Gpt model, ChatData data, ExampleBatches batches, int batchSize, Device device, DataParallel? parallel)
    {
        model.Eval();
        try
        {
            using var noGrad = new NoGrad();
            double sum = 0;
            long tokens = 0;
            foreach (var chunk in batches.Shard(data.Val).Chunk(batchSize))
            {
                using var scope = TensorScope.Begin();
                var batch = TokenBatch.Padded(chunk, data.Template.PadId);
                var count = batch.Targets.Count(t => t != TokenBatch.IgnoreIndex);
                sum += Loss(model, batch, device).Loss.Item() * count;
                tokens += count;
            }
            var sums = RankReduce.Combine(parallel, [(sum, Across.Sum), (tokens, Across.Sum)]);
            return sums[1] == 0 ? double.NaN : sums[0] / sums[1];
        }
        finally
        {
            model.Train();
        }
    }
}
