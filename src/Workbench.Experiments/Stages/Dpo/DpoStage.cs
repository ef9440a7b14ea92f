// Stage `dpo`: direct preference optimisation, as TRL's DPOTrainer: the policy starts from the run
// train.init_from names (the SFT model) and a frozen copy of it is the reference. A step is a batch of
// preference pairs: the policy's log-probabilities of each chosen and rejected answer against the
// reference's (computed per batch without gradients, or once before training with
// train.dpo.precompute_ref_log_probs), through the sigmoid, ipo or hinge loss. An evaluation is the
// held-out pairs' loss and implicit rewards, and, on the task suite, val/exact_match.
// Data parallel: each rank takes an equal share of every micro-batch of pairs (ExampleBatches) and computes
// the reference's log-probabilities of its own share (precomputed: of its share of the training pairs,
// then summed into every rank's table); RPO's token mean is weighted by the rank's share of the chosen
// answers' tokens. Evaluations split the held-out pairs and prompts between the ranks.
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
using ScalarType = Workbench.Torch.ScalarType;

namespace Workbench.Experiments.Stages;

public sealed class DpoStage : IStage
{
    private readonly GptSpec _model;
    private readonly PreferenceData _data;
    private readonly TrainedModel _reference;

    private DpoStage(GptSpec model, PreferenceData data, TrainedModel reference) => (_model, _data, _reference) = (model, data, reference);

    public static DpoStage Load(ExperimentSpec spec, StageSetup setup)
    {
        var reference = setup.InitFrom
            ?? throw new RunSetupException("stage dpo needs train.init_from: the run it starts from is also its frozen reference (usually an sft run)");
        var model = (GptSpec)spec.Model;
        var data = ChatDatasets.LoadPreferences(spec, setup.Cache, setup.Log, reference.Tokenizer);
        if (data.LongestExample - 1 > model.BlockSize)
            throw new RunSetupException($"the longest answer of a pair is {data.LongestExample} tokens with its prompt, more than model.block_size {model.BlockSize} + 1");
        StageChecks.BatchFits(spec.Train, data.Train.Count, "pairs");
        setup.Log($"{spec.Data.Dataset}: {data.Train.Count:N0} training and {data.Val.Count:N0} held-out preference pairs");
        return new DpoStage(model, data, reference);
    }

    public void Dispose() { }

    public void CheckInitialWeights(IReadOnlyDictionary<string, Tensor> weights) => InitialWeights.Check(() => _model.Build(_data.Tokenizer.VocabSize), weights);

    public StageResult Run(StageContext c)
    {
        TrainedModel.RecordText(c, _data.ContentHash, _data.Tokenizer);
        using var model = (Gpt)_model.Build(_data.Tokenizer.VocabSize);
        model.To(c.Device);
        using var reference = (Gpt)_reference.Build(c.Device);
        reference.Freeze();
        using var optimizer = OptimizerFactory.Create(c.Spec.Train.Optimizer, model);
        return TrainingLoop.Run(c, new Objective(c, _data, model, reference, optimizer));
    }

    private sealed class Objective : ITrainingObjective
    {
        private readonly StageContext c;
        private readonly PreferenceData _data;
        private readonly Gpt _model;
        private readonly Gpt _reference;
        private readonly TrainSpec _train;
        private readonly DpoSettings _loss;
        private readonly IReadOnlyList<Tensor> _parameters;
        private readonly ExampleBatches _batches;
        private readonly (double Chosen, double Rejected)[]? _precomputed;
        private readonly double _rpoAlpha;

        public Objective(StageContext context, PreferenceData data, Gpt model, Gpt reference, Optimizer optimizer)
        {
            (c, _data, _model, _reference) = (context, data, model, reference);
            _train = c.Spec.Train;
            var dpo = _train.Settings as DpoSpec ?? new DpoSpec(0.1, "sigmoid", 0, false);
            _rpoAlpha = dpo.RpoAlpha;
            _loss = new DpoSettings(dpo.Beta, Enum.Parse<DpoLossType>(dpo.LossType, ignoreCase: true), dpo.LabelSmoothing);
            _parameters = model.Parameters().ToList();
            _batches = new ExampleBatches(_train, c.Spec.Seed, data.Train.Count, c.Parallel);
            Trained = TrainedModules.Of(model, optimizer);
            if (dpo.PrecomputeRefLogProbs)
            {
                c.Observer.OnMessage($"computing the reference's log-probabilities of {data.Train.Count:N0} pairs once");
                _precomputed = PrecomputeReference(data);
            }
        }

        public TrainedModules Trained { get; }

        // Where the starting model stands on the same measures: the first point of every curve.
        public bool EvaluatesAtStart => c.InitialWeights != null;

        public TrainingItems Items => _batches.Items;

        public long TotalSteps => _batches.TotalSteps;

        private int MicroBatch => _batches.MicroBatch;

        public StepResult Step(long step, bool logging)
        {
            IReadOnlyList<(string, double)> metrics = [];
            var (loss, gradNorm) = OptimizerStep.Run(_model, _parameters, Trained.Optimizers.Values.Single(), _train.GradAccum, _train.GradClip, logging, c.Parallel, step, m =>
                {
                    var indices = _batches.Micro(step, m).ToList();
                    var pairs = indices.Select(i => _data.Train[i]).ToList();
                    using var amp = c.MixedPrecision();
                    var (policyChosen, policyRejected, chosenNll) = LogProbs(_model, pairs);
                    if (c.Parallel is { } p && _rpoAlpha > 0)
                    {
                        // RPO's mean over this rank's chosen-answer tokens, weighted as SFT's is: the ranks' average is the micro-batch's mean.
                        var mine = pairs.Sum(pair => AnswerTargets(pair.Chosen));
                        var all = _batches.GlobalMicro(step, m).Sum(i => AnswerTargets(_data.Train[(int)i].Chosen));
                        chosenNll = chosenNll * ((double)mine * p.WorldSize / Math.Max(all, 1));
                    }
                    Tensor refChosen, refRejected;
                    if (_precomputed is { } table)
                    {
                        refChosen = Tensor.From(indices.Select(i => table[i].Chosen).ToArray(), indices.Count).To(policyChosen.DType, c.Device);
                        refRejected = Tensor.From(indices.Select(i => table[i].Rejected).ToArray(), indices.Count).To(policyChosen.DType, c.Device);
                    }
                    else
                    {
                        using var noGrad = new NoGrad();
                        (refChosen, refRejected, _) = LogProbs(_reference, pairs);
                    }
                    var dpo = DpoLoss.Compute(_loss, policyChosen, policyRejected, refChosen, refRejected);
                    if (logging && m == _train.GradAccum - 1)
                        metrics = _rpoAlpha > 0 ? [.. dpo.Read(), ("nll_loss", chosenNll.Item())] : dpo.Read();
                    return _rpoAlpha > 0 ? dpo.Loss + chosenNll * _rpoAlpha : dpo.Loss;
                });
            return new StepResult(loss, gradNorm, RankReduce.MeansOfEqualShares(c.Parallel, metrics));
        }

        public Evaluation Evaluate(long step)
        {
            var metrics = new List<(string Name, double Value)>();
            _model.Eval();
            try
            {
                using var noGrad = new NoGrad();
                using var amp = c.MixedPrecision();
                var sums = new double[DpoLoss.Keys.Count + 1];   // the loss, then DpoLoss's figures, each summed weighted by the pairs
                foreach (var chunk in _batches.Shard(_data.Val).Chunk(MicroBatch))
                {
                    using var scope = TensorScope.Begin();
                    var (pc, pr, _) = LogProbs(_model, chunk);
                    var (rc, rr, _) = LogProbs(_reference, chunk);
                    var dpo = DpoLoss.Compute(_loss, pc, pr, rc, rr);
                    sums[0] += dpo.Loss.Item() * chunk.Length;
                    var read = dpo.Read();
                    for (var i = 0; i < read.Count; i++) sums[i + 1] += read[i].Value * chunk.Length;
                }
                var combined = RankReduce.Combine(c.Parallel, sums.Select(v => (v, Across.Sum)).ToList());
                metrics.Add(("val/loss", combined[0] / _data.Val.Count));
                metrics.AddRange(DpoLoss.Keys.Select((key, i) => ($"val/{key}", combined[i + 1] / _data.Val.Count)));
            }
            finally
            {
                _model.Train();
            }
            if (_data.Chat is { } chat)
                using (c.MixedPrecision()) metrics.AddRange(ExactMatch.Evaluate(_model, chat, c.Device, parallel: c.Parallel));
            var margins = metrics.First(m => m.Name == "val/rewards/margins").Value;
            var accuracy = metrics.First(m => m.Name == "val/rewards/accuracies").Value;
            var exact = metrics.FirstOrDefault(m => m.Name == "val/exact_match");
            return new Evaluation(metrics, $"val margins {margins:0.000}  accuracies {accuracy:P1}" +
                                           (exact.Name is null ? "" : $"  exact match {exact.Value:P1}"));
        }

        public void Finish(long step) { }

        // (B) log-probabilities of each pair's chosen and rejected answer under the model, both in one forward pass,
        // and () the chosen answers' mean token NLL (RPO's term).
        private (Tensor Chosen, Tensor Rejected, Tensor ChosenNll) LogProbs(Gpt model, IReadOnlyList<EncodedPair> pairs)
        {
            var batch = TokenBatch.Padded([.. pairs.Select(p => p.Chosen), .. pairs.Select(p => p.Rejected)], _data.Template.PadId);
            var (inputs, targets, mask) = ChatTensors.Shifted(batch, c.Device);
            var perToken = TokenLogProbs.PerToken(model.Forward(inputs), targets, mask);         // (2B, T)
            var logps = _loss.SequenceLogProbs(perToken, mask);                                  // (2B)
            var chosenNll = TokenLogProbs.MeanNll(perToken.Narrow(0, 0, pairs.Count), mask.Narrow(0, 0, pairs.Count));
            return (logps.Narrow(0, 0, pairs.Count), logps.Narrow(0, pairs.Count, pairs.Count), chosenNll);
        }

        // The reference's log-probabilities of every training pair, by index: each rank computes its share, and the
        // shares are summed into every rank's table (the others' entries are zeros there).
        private (double Chosen, double Rejected)[] PrecomputeReference(PreferenceData data)
        {
            var mine = _batches.Shard(Enumerable.Range(0, data.Train.Count).ToList()).ToList();
            var table = new double[2 * data.Train.Count];
            foreach (var chunk in mine.Chunk(MicroBatch))
            {
                var logps = ReferenceLogProbs(chunk.Select(i => data.Train[i]).ToList()).ToList();
                for (var j = 0; j < chunk.Length; j++) (table[2 * chunk[j]], table[2 * chunk[j] + 1]) = logps[j];
            }
            var all = c.Parallel?.Sum(table) ?? table;
            return Enumerable.Range(0, data.Train.Count).Select(i => (all[2 * i], all[2 * i + 1])).ToArray();
        }

        /// <summary>The targets an answer is trained on in its row: its trained tokens after the first.</summary>
        private static long AnswerTargets(ChatExample answer) => answer.Trained.Skip(1).Count(t => t);

        private IEnumerable<(double Chosen, double Rejected)> ReferenceLogProbs(IReadOnlyList<EncodedPair> pairs)
        {
            using var scope = TensorScope.Begin();
            using var noGrad = new NoGrad();
            using var amp = c.MixedPrecision();
            var (chosen, rejected, _) = LogProbs(_reference, pairs);
            var both = Tensor.Stack([chosen.To(ScalarType.Float64), rejected.To(ScalarType.Float64)]).ToArray<double>();   // (2, B)
            return Enumerable.Range(0, pairs.Count).Select(i => (both[i], both[pairs.Count + i])).ToList();
        }
    }
}
