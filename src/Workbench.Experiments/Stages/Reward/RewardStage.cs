// Stage `reward`: a reward model, as TRL's RewardTrainer trains one: the GPT trunk (from the run
// train.init_from names, usually the SFT model) with a scalar head that scores a conversation at its
// last token, trained on preference pairs with the Bradley-Terry loss -log sigmoid(r_chosen - r_rejected)
// (train.reward: an optional margin and centring). An evaluation scores the held-out pairs.
// Data parallel: each rank takes an equal share of every micro-batch of pairs (ExampleBatches), so the
// ranks' averaged means are the batch's; evaluations split the held-out pairs and combine their sums.
using Workbench.Experiments.Building;
using Workbench.Experiments.Catalog;
using Workbench.Experiments.Data;
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

public sealed class RewardStage : IStage
{
    private readonly GptSpec _model;
    private readonly PreferenceData _data;

    private RewardStage(GptSpec model, PreferenceData data) => (_model, _data) = (model, data);

    public static RewardStage Load(ExperimentSpec spec, StageSetup setup)
    {
        var model = (GptSpec)spec.Model;
        var data = ChatDatasets.LoadPreferences(spec, setup.Cache, setup.Log, setup.InitFrom?.Tokenizer);
        if (data.LongestExample > model.BlockSize)
            throw new RunSetupException($"the longest answer of a pair is {data.LongestExample} tokens with its prompt, more than model.block_size {model.BlockSize}");
        StageChecks.BatchFits(spec.Train, data.Train.Count, "pairs");
        setup.Log($"{spec.Data.Dataset}: {data.Train.Count:N0} training and {data.Val.Count:N0} held-out preference pairs");
        return new RewardStage(model, data);
    }

    public void Dispose() { }

    public void CheckInitialWeights(IReadOnlyDictionary<string, Tensor> weights)
    {
        using var model = new ScalarHeadGpt(_model.Config(_data.Tokenizer.VocabSize));
        try { model.LoadTrunk(weights); }
        catch (ArgumentException e) { throw new RunSetupException($"train.init_from: those weights do not fit this spec's model: {e.Message}"); }
    }

    public StageResult Run(StageContext c)
    {
        TrainedModel.RecordText(c, _data.ContentHash, _data.Tokenizer);
        using var model = new ScalarHeadGpt(_model.Config(_data.Tokenizer.VocabSize));
        model.To(c.Device);
        using var optimizer = OptimizerFactory.Create(c.Spec.Train.Optimizer, model);
        return TrainingLoop.Run(c, new Objective(c, _data, model, optimizer));
    }

    private sealed class Objective(StageContext c, PreferenceData data, ScalarHeadGpt model, Optimizer optimizer) : ITrainingObjective
    {
        private readonly TrainSpec _train = c.Spec.Train;
        private readonly RewardSpec _settings = c.Spec.Train.Settings as RewardSpec ?? new RewardSpec(0, 0);
        private readonly IReadOnlyList<Tensor> _parameters = model.Parameters().ToList();
        private readonly ExampleBatches _batches = new(c.Spec.Train, c.Spec.Seed, data.Train.Count, c.Parallel);

        public TrainedModules Trained { get; } = TrainedModules.Of(model, optimizer);

        // Where the starting model stands on the same measures: the first point of every curve.
        public bool EvaluatesAtStart => c.InitialWeights != null;

        public TrainingItems Items => _batches.Items;

        public long TotalSteps => _batches.TotalSteps;

        private int MicroBatch => _batches.MicroBatch;

        public void Initialize(IReadOnlyDictionary<string, Tensor> weights) => model.LoadTrunk(weights);

        public StepResult Step(long step, bool logging)
        {
            IReadOnlyList<(string, double)> metrics = [];
            var (loss, gradNorm) = OptimizerStep.Run(model, _parameters, optimizer, _train.GradAccum, _train.GradClip, logging, c.Parallel, step, m =>
            {
                var pairs = _batches.Micro(step, m).Select(i => data.Train[i]).ToList();
                using var amp = c.MixedPrecision();
                var reward = Loss(model, pairs, data, _settings, c.Device);
                if (logging && m == _train.GradAccum - 1) metrics = reward.Read();
                return reward.Loss;
            });
            return new StepResult(loss, gradNorm, RankReduce.MeansOfEqualShares(c.Parallel, metrics));
        }

        public Evaluation Evaluate(long step)
        {
            model.Eval();
            try
            {
                using var noGrad = new NoGrad();
                using var amp = c.MixedPrecision();
                // RewardLoss's figures in its order: the means summed weighted by the pairs, the extremes as they are.
                var keys = RewardLoss.Keys;
                var values = keys.Select(k => RankReduce.HowOf(k) switch
                {
                    Across.Min => (Value: double.PositiveInfinity, How: Across.Min),
                    Across.Max => (Value: double.NegativeInfinity, How: Across.Max),
                    _ => (Value: 0.0, How: Across.Sum),
                }).ToList();
                double lossSum = 0;
                foreach (var chunk in _batches.Shard(data.Val).Chunk(MicroBatch))
                {
                    using var scope = TensorScope.Begin();
                    var reward = Loss(model, chunk, data, _settings, c.Device);
                    lossSum += reward.Loss.Item() * chunk.Length;
                    var read = reward.Read();
                    for (var i = 0; i < keys.Count; i++)
                    {
                        var (value, how) = values[i];
                        values[i] = (how switch
                        {
                            Across.Min => Math.Min(value, read[i].Value),
                            Across.Max => Math.Max(value, read[i].Value),
                            _ => value + read[i].Value * chunk.Length,
                        }, how);
                    }
                }
                var combined = RankReduce.Combine(c.Parallel, [(lossSum, Across.Sum), .. values]);
                var n = data.Val.Count;
                double Figure(int i) => values[i].How == Across.Sum ? combined[i + 1] / n : combined[i + 1];
                var metrics = new List<(string, double)> { ("val/loss", combined[0] / n) };
                metrics.AddRange(keys.Select((key, i) => ($"val/{key}", Figure(i))));
                return new Evaluation(metrics, $"val loss {combined[0] / n:0.0000}  accuracy {Figure(0):P1}  margin {Figure(1):0.000}");
            }
            finally
            {
                model.Train();
            }
        }

        public void Finish(long step) { }
    }

    // Both answers of every pair in one forward pass: chosen rows first, then rejected.
    private static RewardLoss Loss(ScalarHeadGpt model, IReadOnlyList<EncodedPair> pairs, PreferenceData data, RewardSpec settings, Device device)
    {
        var (ids, lengths) = ChatTensors.Whole([.. pairs.Select(p => p.Chosen), .. pairs.Select(p => p.Rejected)], data.Template.PadId, device);
        var scores = model.Score(ids, lengths).To(ScalarType.Float32);                 // (2B)
        var chosen = scores.Narrow(0, 0, pairs.Count);
        var rejected = scores.Narrow(0, pairs.Count, pairs.Count);
        Tensor? margin = settings.Margin > 0 ? Tensor.Full([pairs.Count], settings.Margin, ScalarType.Float32, device) : null;
        return RewardLoss.Compute(chosen, rejected, margin, settings.CenterCoefficient);
    }
}
