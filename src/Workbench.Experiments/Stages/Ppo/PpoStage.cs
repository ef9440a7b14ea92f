// Stage `ppo`: RLHF as TRL's PPOTrainer does it. The policy starts from the run train.init_from names (the
// SFT model) and a frozen copy of it is the reference; a value model (the GPT with a scalar head) starts from
// the reward run train.ppo.reward_model names (TRL's choice), else from the policy's weights. A step is:
//   rollout   one completion for each of batch_size training prompts, drawn through the batched KV-cache
//             generator (Rollouts/RolloutBatch), scored by the reward model at its last token, or by the
//             task checkers (1 right, 0 wrong) without one; the reference's log-probabilities and the value
//             head's estimates of the same tokens; the KL penalty, GAE and whitening (PpoAdvantages).
//   update    num_ppo_epochs passes over the rollout in num_mini_batches shuffled minibatches, each one
//             optimizer step on the clipped policy loss + vf_coef x the clipped value loss (PpoLoss), both
//             models under one optimizer and one gradient clip, as TRL's policy-and-value wrapper.
// The two are timed apart (rollout tokens/s, update ms: the summary). Logged: TRL's objective/*, policy/*,
// loss/* and val/ratio, val/clipfrac_avg (value-head figures, training metrics despite the prefix); a
// train.ppo.max_kl limit stops the run as diverged once objective/kl passes it. An evaluation answers the
// held-out prompts by greedy decoding: val/exact_match.
using System.Diagnostics;
using Workbench.Data.Chat;
using Workbench.Experiments.Building;
using Workbench.Experiments.Catalog;
using Workbench.Experiments.Data;
using Workbench.Experiments.Evals;
using Workbench.Experiments.Generation;
using Workbench.Experiments.Lineage;
using Workbench.Experiments.Runs;
using Workbench.Experiments.Specs;
using Workbench.Experiments.Stages.Rollouts;
using Workbench.Experiments.Training;
using Workbench.Models;
using Workbench.Models.PostTraining;
using Workbench.Torch;
using Workbench.Torch.Nn;
using Workbench.Torch.Optim;
using Workbench.Tracking;
using ScalarType = Workbench.Torch.ScalarType;

namespace Workbench.Experiments.Stages;

public sealed class PpoStage : IStage
{
    private const string RewardModelKey = "train.ppo." + PpoSpec.RewardModelKey;

    private readonly GptSpec _model;
    private readonly ChatData _data;
    private readonly TrainedModel _reference;
    private readonly TrainedModel? _rewardModel;

    private PpoStage(GptSpec model, ChatData data, TrainedModel reference, TrainedModel? rewardModel) =>
        (_model, _data, _reference, _rewardModel) = (model, data, reference, rewardModel);

    public static PpoStage Load(ExperimentSpec spec, StageSetup setup)
    {
        var reference = setup.InitFrom
            ?? throw new RunSetupException("stage ppo needs train.init_from: the policy starts from that run (usually an sft run) and a frozen copy of it is the KL reference");
        var model = (GptSpec)spec.Model;
        var ppo = spec.Train.Settings as PpoSpec ?? PpoSpec.Default;
        var train = spec.Train;
        var data = ChatDatasets.Load(spec, setup.Cache, setup.Log, reference.Tokenizer);
        StageChecks.BatchFits(train, data.TrainPrompts.Count, "prompts");
        var longest = data.TrainPrompts.Max(p => p.Prompt.Length);
        if (longest + ppo.ResponseLength - 1 > model.BlockSize)
            throw new RunSetupException($"the longest prompt is {longest} tokens: with train.ppo.response_length {ppo.ResponseLength} its completion does " +
                                        $"not fit model.block_size {model.BlockSize} + 1; lower response_length or start from a model with a longer block");
        if (train.BatchSize % (ppo.NumMiniBatches * train.GradAccum) != 0)
            throw new RunSetupException($"train.ppo.num_mini_batches {ppo.NumMiniBatches} x train.grad_accum {train.GradAccum} must divide " +
                                        $"train.batch_size {train.BatchSize}: each update takes an equal share of the rollout");
        var rewardModel = ppo.RewardModel is { } rewardRun ? LoadRewardModel(setup, rewardRun, data) : null;
        setup.Log($"{spec.Data.Dataset}: {data.TrainPrompts.Count:N0} training prompts, {data.Eval.Count:N0} held-out; rewards from " +
                  (rewardModel is null ? "the task checkers" : $"reward model {rewardModel.Run.Id}"));
        return new PpoStage(model, data, reference, rewardModel);
    }

    private static TrainedModel LoadRewardModel(StageSetup setup, string reference, ChatData data)
    {
        var run = setup.LoadRun?.Invoke(reference, RewardModelKey)
            ?? throw new RunSetupException($"{RewardModelKey}: there is no run store to load '{reference}' from");
        var problem = run.Spec.Train.Stage != "reward"
            ? $"run {run.Run.Id} is a {run.Spec.Train.Stage} run, not a reward model (stage reward)"
            : run.Tokenizer?.Hash != data.Tokenizer.Hash
                ? $"run {run.Run.Id} reads text with another tokenizer than the policy's (train.init_from); train the reward model from the same sft run"
                : null;
        if (problem is null) return run;
        run.Dispose();
        throw new RunSetupException($"{RewardModelKey}: {problem}");
    }

    public void Dispose() => _rewardModel?.Dispose();

    public void CheckInitialWeights(IReadOnlyDictionary<string, Tensor> weights)
    {
        InitialWeights.Check(() => _model.Build(_data.Tokenizer.VocabSize), weights);
        if (_rewardModel is null) return;
        using var value = new ScalarHeadGpt(_model.Config(_data.Tokenizer.VocabSize));
        try { value.Initialize(_rewardModel.Weights); }
        catch (ArgumentException e)
        {
            throw new RunSetupException($"{RewardModelKey}: the value model starts from the reward model, whose weights do not fit this spec's model: {e.Message}");
        }
    }

    public StageResult Run(StageContext c)
    {
        // Not data-parallel: the stage table refuses --nproc for it (StageTable: NotDataParallel).
        TrainedModel.RecordText(c, _data.ContentHash, _data.Tokenizer);
        var vocab = _data.Tokenizer.VocabSize;
        using var models = new PolicyAndValue((Gpt)_model.Build(vocab), new ScalarHeadGpt(_model.Config(vocab)));
        models.To(c.Device);
        using var reference = (Gpt)_reference.Build(c.Device);
        using var scorer = _rewardModel is { } rm ? Scorer(rm, c.Device) : null;
        reference.Freeze();
        scorer?.Freeze();
        using var optimizer = OptimizerFactory.Create(c.Spec.Train.Optimizer, models);
        return TrainingLoop.Run(c, new Objective(c, _data, models, reference, scorer, _rewardModel?.Weights, optimizer));
    }

    private static ScalarHeadGpt Scorer(TrainedModel rewardModel, Device device)
    {
        var scorer = new ScalarHeadGpt(((GptSpec)rewardModel.Spec.Model).Config(rewardModel.Tokenizer!.VocabSize));
        scorer.To(device);
        scorer.LoadStateDict(rewardModel.Weights);
        return scorer;
    }

    /// <summary>The policy and the value model as one module, so that one optimizer and one gradient clip cover both (TRL's wrapper).</summary>
    private sealed class PolicyAndValue : Module
    {
        public PolicyAndValue(Gpt policy, ScalarHeadGpt value) =>
            (Policy, Value) = (RegisterModule("policy", policy), RegisterModule("value", value));

        public Gpt Policy { get; }
        public ScalarHeadGpt Value { get; }
    }

    private sealed class Objective : ITrainingObjective
    {
        private readonly StageContext c;
        private readonly ChatData _data;
        private readonly PolicyAndValue _models;
        private readonly Gpt _reference;
        private readonly ScalarHeadGpt? _scorer;
        private readonly IReadOnlyDictionary<string, Tensor>? _rewardWeights;
        private readonly Optimizer _optimizer;
        private readonly TrainSpec _train;
        private readonly PpoSpec _ppo;
        private readonly PpoSettings _settings;
        private readonly GenerationSettings _generation;
        private readonly IReadOnlyList<Tensor> _parameters;
        private readonly ExampleBatches _batches;
        private readonly RolloutTiming _timing = new();
        private readonly int[] _turnEnd;

        public Objective(StageContext context, ChatData data, PolicyAndValue models, Gpt reference, ScalarHeadGpt? scorer,
            IReadOnlyDictionary<string, Tensor>? rewardWeights, Optimizer optimizer)
        {
            (c, _data, _models, _reference, _scorer, _rewardWeights, _optimizer) = (context, data, models, reference, scorer, rewardWeights, optimizer);
            _train = c.Spec.Train;
            _ppo = _train.Settings as PpoSpec ?? PpoSpec.Default;
            _settings = new PpoSettings(_ppo.KlCoef, Enum.Parse<KlEstimator>(_ppo.KlEstimator, ignoreCase: true), _ppo.Gamma, _ppo.Lam,
                _ppo.WhitenRewards, _ppo.MissingEosPenalty, _ppo.ClipRange, _ppo.ClipRangeValue, _ppo.VfCoef);
            _generation = new GenerationSettings(_ppo.ResponseLength, _ppo.Temperature, StopTokens: [data.Template.EndOfTurnId, data.Template.EndOfTextId]);
            _turnEnd = data.Tokenizer.Encode("\n");
            _parameters = models.Parameters().ToList();
            _batches = new ExampleBatches(_train, c.Spec.Seed, data.TrainPrompts.Count, parallel: null);   // not data-parallel (StageTable)
            Trained = new TrainedModules(new Dictionary<string, Module> { [TrainedModules.ModelName] = models.Policy, ["value"] = models.Value },
                new Dictionary<string, Optimizer> { [TrainedModules.OptimizerName] = optimizer });
        }

        public TrainedModules Trained { get; }

        // Where the SFT model stands on the same measure: the first point of the curve.
        public bool EvaluatesAtStart => c.InitialWeights != null;

        public TrainingItems Items => _batches.Items;

        public long TotalSteps => _batches.TotalSteps;

        /// <summary>The policy from init_from; the value model from the reward model, else from the same weights.</summary>
        public void Initialize(IReadOnlyDictionary<string, Tensor> weights)
        {
            _models.Policy.LoadStateDict(weights);
            _models.Value.Initialize(_rewardWeights ?? weights);
        }

        public StepResult Step(long step, bool logging)
        {
            using var scope = TensorScope.Begin();
            var prompts = Enumerable.Range(0, _train.GradAccum).SelectMany(m => _batches.Micro(step, m)).Select(i => _data.TrainPrompts[i]).ToList();
            var started = Stopwatch.GetTimestamp();
            var (rollout, advantages, values) = Roll(prompts);
            _timing.AddRollout(rollout.GeneratedTokens, Stopwatch.GetElapsedTime(started));
            var objective = logging || _ppo.MaxKl is not null ? LossMetrics.Read(advantages.Metrics) : [];

            started = Stopwatch.GetTimestamp();
            var (loss, gradNorm, updates) = Update(step, rollout, advantages, values, logging);
            _timing.AddUpdate(Stopwatch.GetElapsedTime(started));

            var kl = objective.FirstOrDefault(m => m.Key == "objective/kl").Value;
            var diverged = _ppo.MaxKl is { } limit && kl > limit ? $"objective/kl {kl:0.####} passed train.ppo.max_kl {limit}" : null;
            var metrics = new List<(string, double)>();
            if (logging || diverged is not null) metrics.AddRange(objective);
            if (logging) metrics.AddRange([.. updates, ("val/num_eos_tokens", rollout.Stopped.Count(s => s))]);
            return new StepResult(loss, gradNorm, metrics, diverged);
        }

        // The rollout and what PPO makes of it, without gradients: completions, the reference's log-probabilities,
        // the value head's estimates and the scores, then rewards, advantages and returns.
        private (RolloutBatch Rollout, PpoAdvantages Advantages, Tensor Values) Roll(IReadOnlyList<EvalPrompt> prompts)
        {
            var rollout = RolloutBatch.Generate(_models.Policy, prompts.Select(p => p.Prompt).ToList(), 1, _generation, _data.Template.PadId, c.Device);
            using var noGrad = new NoGrad();
            using var amp = c.MixedPrecision();
            var referenceLogProbs = rollout.LogProbs(_reference);                                  // (B, Tc)
            var values = rollout.AtCompletion(_models.Value.Scores(rollout.Inputs)).To(ScalarType.Float32);
            var ended = Tensor.From(rollout.Stopped.ToArray(), rollout.Rows).To(c.Device);
            var advantages = PpoAdvantages.Compute(_settings, rollout.OldLogProbs, referenceLogProbs.To(ScalarType.Float32), values,
                Scores(rollout, prompts), rollout.CompletionMask, ended);
            return (rollout, advantages, values);
        }

        // (B) each completion's score: the reward model's at its last token, or 1 where the task checker accepts it.
        private Tensor Scores(RolloutBatch rollout, IReadOnlyList<EvalPrompt> prompts)
        {
            if (_scorer is null)
            {
                var right = prompts.Select((p, i) => ChatData.IsRight(p, Answer(rollout.Completions[i])) ? 1f : 0f).ToArray();
                return Tensor.From(right, right.Length).To(c.Device);
            }
            // The reward model learnt whole conversations, each turn's end of turn followed by the template's newline,
            // and scores them at that newline: a completion that ended its turn is read so too.
            var rows = prompts.Select((p, i) => (int[])[.. p.Prompt, .. rollout.Completions[i].Tokens, .. EndsTurn(rollout.Completions[i]) ? _turnEnd : []])
                .Select(ids => new ChatExample(ids, new bool[ids.Length])).ToList();
            var (ids, lengths) = ChatTensors.Whole(rows, _data.Template.PadId, c.Device);
            return _scorer.Score(ids, lengths).To(ScalarType.Float32);
        }

        private bool EndsTurn(Completion completion) => completion.Stopped && completion.Tokens[^1] == _data.Template.EndOfTurnId;

        private string Answer(Completion completion) =>
            _data.Tokenizer.Decode(completion.Stopped ? completion.Tokens.SkipLast(1).ToArray() : completion.Tokens.ToArray());

        // num_ppo_epochs passes over the rollout, each in num_mini_batches shuffled minibatches, one optimizer step
        // each. Returns the mean loss, the last update's gradient norm and, when logging, the statistics' means.
        private (double Loss, double GradNorm, IReadOnlyList<(string, double)> Metrics) Update(long step, RolloutBatch rollout,
            PpoAdvantages advantages, Tensor oldValues, bool logging)
        {
            var rows = rollout.Rows;
            var perMinibatch = rows / _ppo.NumMiniBatches;
            var micro = perMinibatch / _train.GradAccum;
            // The shuffle is seeded by the run's seed and the step, so a resumed run shuffles as the uninterrupted one.
            var random = new Random(unchecked((int)(c.Spec.Seed * 1_000_003 + step)));
            double lossSum = 0, gradNorm = double.NaN;
            var sums = new Dictionary<string, double>();
            var updates = 0;
            for (var epoch = 0; epoch < _ppo.NumPpoEpochs; epoch++)
            {
                var order = Enumerable.Range(0, rows).ToArray();
                random.Shuffle(order);
                for (var b = 0; b < _ppo.NumMiniBatches; b++)
                {
                    var last = epoch == _ppo.NumPpoEpochs - 1 && b == _ppo.NumMiniBatches - 1;
                    var (loss, norm) = OptimizerStep.Run(_models, _parameters, _optimizer, _train.GradAccum, _train.GradClip, logging && last, parallel: null, step, m =>
                    {
                        var picked = order.Skip(b * perMinibatch + m * micro).Take(micro).Select(i => (long)i).ToArray();
                        var index = Tensor.From(picked, picked.Length).To(c.Device);
                        Tensor Rows(Tensor t) => picked.Length == rows ? t : t.IndexSelect(0, index);
                        using var amp = c.MixedPrecision();
                        // Every row goes through the models and the minibatch's are kept: with one minibatch (TRL's
                        // default) nothing is wasted; with several, the forward passes repeat over the others.
                        var (logProbs, entropy) = rollout.LogProbsAndEntropy(_models.Policy);
                        var values = rollout.AtCompletion(_models.Value.Scores(rollout.Inputs));
                        var ppo = PpoLoss.Compute(_settings, Rows(logProbs.To(ScalarType.Float32)), Rows(rollout.OldLogProbs), Rows(advantages.Advantages),
                            Rows(values.To(ScalarType.Float32)), Rows(oldValues), Rows(advantages.Returns), Rows(rollout.CompletionMask),
                            Rows(entropy.To(ScalarType.Float32)));
                        if (logging)
                            foreach (var (key, value) in ppo.Read()) sums[key] = sums.GetValueOrDefault(key) + value;
                        return ppo.Loss;
                    });
                    (lossSum, gradNorm, updates) = (lossSum + loss, norm, updates + 1);
                }
            }
            var count = updates * _train.GradAccum;
            return (lossSum / updates, gradNorm, sums.Select(s => (s.Key, s.Value / count)).ToList());
        }

        public Evaluation Evaluate(long step)
        {
            IReadOnlyList<(string Name, double Value)> solved;
            using (c.MixedPrecision()) solved = ExactMatch.Evaluate(_models.Policy, _data, c.Device);
            return new Evaluation(solved, $"exact match {solved.First(m => m.Name == "val/exact_match").Value:P1}");
        }

        public void Finish(long step) => _timing.Summarise(c.Summary);
    }
}
