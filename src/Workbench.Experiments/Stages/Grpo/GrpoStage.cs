// Stage `grpo`: group relative policy optimisation with verifiable rewards, as TRL's GRPOTrainer. The
// policy starts from the run train.init_from names (an SFT model that already answers in the chat
// template). A step takes batch_size / G training problems, samples G completions of each (the rollout,
// through the KV-cache generator), scores each completion with the spec's reward functions, turns the
// rewards into group-normalised advantages, and updates the policy num_iterations times on the clipped
// objective. With beta > 0 a frozen copy of the init model is the reference of a KL penalty (and of
// max_kl, which stops a run that strays too far); with beta 0 none is loaded. An evaluation answers the
// held-out problems greedily (val/exact_match) and by k samples each (val/pass@k, k = num_generations).
using System.Diagnostics;
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
using Workbench.Torch.Optim;
using Workbench.Tracking;
using ScalarType = Workbench.Torch.ScalarType;

namespace Workbench.Experiments.Stages.Grpo;

public sealed class GrpoStage : IStage
{
    private readonly GptSpec _model;
    private readonly ProblemData _data;
    private readonly TrainedModel _init;

    private GrpoStage(GptSpec model, ProblemData data, TrainedModel init) => (_model, _data, _init) = (model, data, init);

    public static GrpoStage Load(ExperimentSpec spec, StageSetup setup)
    {
        var init = setup.InitFrom
            ?? throw new RunSetupException("stage grpo needs train.init_from: the run it starts from (usually an sft run), which must already answer in the chat template");
        var model = (GptSpec)spec.Model;
        var grpo = (GrpoSpec)spec.Train.Settings!;
        var data = ChatDatasets.LoadProblems(spec, setup.Cache, setup.Log, init.Tokenizer);
        if (data.LongestPrompt + grpo.MaxCompletionLength - 1 > model.BlockSize)
            throw new RunSetupException($"the longest prompt is {data.LongestPrompt} tokens: with train.grpo.max_completion_length {grpo.MaxCompletionLength} " +
                                        $"it does not fit model.block_size {model.BlockSize} + 1; lower max_completion_length");
        var prompts = spec.Train.BatchSize / grpo.NumGenerations;
        if (data.Train.Count < prompts)
            throw new RunSetupException($"a step takes {prompts} problems (train.batch_size {spec.Train.BatchSize} / num_generations {grpo.NumGenerations}), " +
                                        $"more than the {data.Train.Count} training problems");
        setup.Log($"{spec.Data.Dataset}: {data.Train.Count:N0} training and {data.Chat.Eval.Count:N0} held-out problems; " +
                  $"{prompts} prompts x {grpo.NumGenerations} completions a step");
        return new GrpoStage(model, data, init);
    }

    public void Dispose() { }

    public void CheckInitialWeights(IReadOnlyDictionary<string, Tensor> weights) => InitialWeights.Check(() => _model.Build(_data.Chat.Tokenizer.VocabSize), weights);

    public StageResult Run(StageContext c)
    {
        // Not data-parallel: the stage table refuses --nproc for it (StageTable: NotDataParallel).
        TrainedModel.RecordText(c, _data.Chat.ContentHash, _data.Chat.Tokenizer);
        var grpo = (GrpoSpec)c.Spec.Train.Settings!;
        using var model = (Gpt)_model.Build(_data.Chat.Tokenizer.VocabSize);
        model.To(c.Device);
        // beta 0: no KL term, so no reference model is loaded (TRL's default, and half the memory).
        using var reference = grpo.Beta > 0 ? (Gpt)_init.Build(c.Device) : null;
        reference?.Freeze();
        using var optimizer = OptimizerFactory.Create(c.Spec.Train.Optimizer, model);
        return TrainingLoop.Run(c, new Objective(c, _data, grpo, model, reference, optimizer));
    }

    private sealed class Objective : ITrainingObjective
    {
        private readonly StageContext c;
        private readonly ProblemData _data;
        private readonly GrpoSpec _grpo;
        private readonly Gpt _model;
        private readonly Gpt? _reference;
        private readonly TrainSpec _train;
        private readonly GrpoSettings _loss;
        private readonly RewardScaling _scaling;
        private readonly RewardSum _rewards;
        private readonly GenerationSettings _sampling;
        private readonly IReadOnlyList<Tensor> _parameters;
        private readonly EpochOrder _order;
        private readonly int _prompts;               // problems per step
        private readonly long _stepsPerEpoch;
        private readonly RolloutTiming _timing = new();

        public Objective(StageContext context, ProblemData data, GrpoSpec grpo, Gpt model, Gpt? reference, Optimizer optimizer)
        {
            (c, _data, _grpo, _model, _reference) = (context, data, grpo, model, reference);
            _train = c.Spec.Train;
            _loss = new GrpoSettings(grpo.Epsilon, grpo.EpsilonHigh, grpo.Beta, Enum.Parse<GrpoLossType>(grpo.LossType.Replace("_", ""), ignoreCase: true),
                grpo.MaxCompletionLength);
            _scaling = Enum.Parse<RewardScaling>(grpo.ScaleRewards, ignoreCase: true);
            _rewards = new RewardSum(grpo.RewardFuncs, grpo.MaxCompletionLength);
            var template = data.Chat.Template;
            _sampling = new GenerationSettings(grpo.MaxCompletionLength, grpo.Temperature, grpo.TopK, grpo.TopP,
                StopTokens: [template.EndOfTurnId, template.EndOfTextId]);
            _parameters = model.Parameters().ToList();
            _prompts = _train.BatchSize / grpo.NumGenerations;
            _order = new EpochOrder(c.Spec.Seed, data.Train.Count);
            _stepsPerEpoch = data.Train.Count / _prompts;
            Trained = TrainedModules.Of(model, optimizer);
        }

        public TrainedModules Trained { get; }

        // Where the starting model stands on the same measures: the first point of every curve.
        public bool EvaluatesAtStart => true;

        public TrainingItems Items => new("samples", _prompts, _stepsPerEpoch * _prompts);

        public long TotalSteps => SupervisedStage.TotalSteps(_train.Epochs, _train.MaxSteps, _stepsPerEpoch);

        public StepResult Step(long step, bool logging)
        {
            var started = Stopwatch.GetTimestamp();
            using var scope = TensorScope.Begin();        // the rollout's tensors live for this step
            var problems = _order.Batch(step, _stepsPerEpoch, _prompts).Select(i => _data.Train[(int)i]).ToList();

            // Rollout: G completions per problem from the policy as it is, their log-probabilities under it (and the reference).
            RolloutBatch rollout;
            Tensor? referenceLogProbs;
            using (c.MixedPrecision())
            {
                rollout = RolloutBatch.Generate(_model, problems.Select(p => p.Prompt).ToList(), _grpo.NumGenerations, _sampling,
                    _data.Chat.Template.PadId, c.Device);
                referenceLogProbs = _reference is null ? null : rollout.FrozenLogProbs(_reference);
            }
            var answers = rollout.Completions.Select((completion, r) => new SampledAnswer(problems[r / _grpo.NumGenerations],
                ExactMatch.Answer(_data.Chat, completion), completion.Tokens.Count,
                completion.Stopped && completion.Tokens[^1] == _data.Chat.Template.EndOfTurnId)).ToList();
            var (rewards, rewardMeans) = _rewards.Score(answers);
            var advantage = GroupAdvantage.Compute(Tensor.From(rewards, rewards.Length).To(c.Device), _grpo.NumGenerations, _scaling);
            _timing.AddRollout(rollout.GeneratedTokens, Stopwatch.GetElapsedTime(started));

            // Update: num_iterations optimizer steps on the same rollout; the first is on-policy (ratio 1).
            var updating = Stopwatch.GetTimestamp();
            var measure = logging || _grpo.MaxKl is not null;
            var sums = new Dictionary<string, double>();
            var micro = _train.BatchSize / _train.GradAccum;
            // dapo divides by the whole batch's completion tokens; OptimizerStep divides each micro-batch's loss by
            // grad_accum, so each is given a grad_accum-th of them and the step's loss is the token mean.
            var tokensPerMicro = rollout.CompletionMask.To(ScalarType.Float32).Sum().Item() / _train.GradAccum;
            double loss = 0, gradNorm = double.NaN;
            for (var iteration = 0; iteration < _grpo.NumIterations; iteration++)
            {
                var first = iteration == 0;
                (loss, gradNorm) = OptimizerStep.Run(_model, _parameters, Trained.Optimizers.Values.Single(), _train.GradAccum, _train.GradClip,
                    logging && iteration == _grpo.NumIterations - 1, parallel: null, step, m =>
                    {
                        var (from, rows) = (m * micro, micro);
                        using var amp = c.MixedPrecision();
                        var (logProbs, entropy) = rollout.LogProbsAndEntropy(_model, from, rows);
                        var grpo = GrpoLoss.Compute(_loss, logProbs, _grpo.NumIterations > 1 ? rollout.OldLogProbs.Narrow(0, from, rows) : null,
                            referenceLogProbs?.Narrow(0, from, rows), advantage.Advantages.Narrow(0, from, rows),
                            rollout.CompletionMask.Narrow(0, from, rows), entropy, tokensPerMicro);
                        // The figures of the first update, the policy that drew the rollout, averaged over the micro-batches.
                        if (measure && first)
                            foreach (var (key, value) in grpo.Read()) sums[key] = sums.GetValueOrDefault(key) + value / _train.GradAccum;
                        return grpo.Loss;
                    });
            }
            _timing.AddUpdate(Stopwatch.GetElapsedTime(updating));

            var metrics = new List<(string Name, double Value)>();
            if (measure)
            {
                metrics.AddRange(advantage.Read());
                metrics.AddRange(rewardMeans);
                metrics.Add(("completions/mean_length", answers.Average(a => a.Tokens)));
                metrics.Add(("completions/clipped_ratio", rollout.Stopped.Count(s => !s) / (double)rollout.Rows));
                metrics.AddRange(sums.Select(s => (s.Key, s.Value)));
                metrics.AddRange(_timing.Metrics);
                metrics.Add(("step_time", Stopwatch.GetElapsedTime(started).TotalSeconds));
            }
            string? diverged = null;
            if (_grpo.MaxKl is { } limit && sums.GetValueOrDefault("kl") is var kl && kl > limit)
                diverged = $"the KL to the reference reached {kl:0.####}, past train.grpo.max_kl {limit}";
            return new StepResult(loss, gradNorm, logging || diverged is not null ? metrics : [], diverged);
        }

        public Evaluation Evaluate(long step)
        {
            IReadOnlyList<(string Name, double Value)> solved;
            (string Name, double Value) pass;
            using (c.MixedPrecision())
            {
                solved = ExactMatch.Evaluate(_model, _data.Chat, c.Device);
                pass = PassAtK.Evaluate(_model, _data.Chat, _grpo.NumGenerations, _sampling with { Seed = c.Spec.Seed }, c.Device);
            }
            var exact = solved.First(m => m.Name == "val/exact_match").Value;
            return new Evaluation([.. solved, pass], $"exact match {exact:P1}  {pass.Name[4..]} {pass.Value:P1}");
        }

        public void Finish(long step) => _timing.Summarise(c.Summary);
    }
}
