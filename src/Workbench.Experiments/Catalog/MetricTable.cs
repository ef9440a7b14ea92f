// The metric catalog: every metric a stage logs today or will log (the post-training stages use
// TRL's names), with its goal, chart, whether it is a timing figure and which stages evaluate it.
// A new metric is one line here. The definition type and the lookup live in Workbench.Tracking so
// that Tracking and Reports receive this table as data and never depend on Experiments; the table
// lives here because the stages that log these names live here. The order of the rows is the order
// of the report's charts (loss first).
using Workbench.Tracking;
using static Workbench.Tracking.MetricGoal;

namespace Workbench.Experiments.Catalog;

public static class MetricTable
{
    private const string Supervised = "supervised", Pretrain = "pretrain", Sft = "sft", Reward = "reward", Dpo = "dpo", Ppo = "ppo", Grpo = "grpo";

    /// <summary>Accuracy is evaluated by supervised training only when it classifies (linreg regresses).</summary>
    public const string SupervisedClassification = "supervised(classification)";

    /// <summary>Pretraining on chat data (the task suite) also answers the held-out problems, as every later stage does.</summary>
    public const string PretrainOnChat = "pretrain(chat)";

    private const string Loss = "Loss", Accuracy = "Accuracy", Rewards = "Rewards", LogProbs = "Log-probabilities", Kl = "KL divergence",
        Entropy = "Entropy", Completions = "Completion length", Lr = "Learning rate", Throughput = "Throughput", GradNorm = "Gradient norm", Solved = "Solved";

    public static MetricCatalog Catalog { get; } = new(
    [
        // Losses, by split. train/loss is the mean batch loss over the last log interval.
        new("train/loss", Min, Loss, "mean training loss over the last log interval"),
        new("val/loss", Min, Loss, "loss on the validation split", EvaluatedBy: [Supervised, Pretrain, Sft, Reward, Dpo]),
        new("train/eval_loss", Min, Loss, "loss on a sample of the training split, measured like val/loss", EvaluatedBy: [Pretrain, Sft]),
        new("test/loss", Min, Loss, "loss on the test split, once after training"),
        new("nll_loss", Min, Loss, "DPO with rpo_alpha: mean token NLL of the chosen answers (RPO's term)"),
        new("loss/policy_avg", Min, Loss, "PPO: clipped policy-gradient loss"),
        new("loss/value_avg", Min, Loss, "PPO: value-head loss"),

        new("val/acc", Max, Accuracy, "fraction of validation examples classified right", EvaluatedBy: [SupervisedClassification]),
        new("accuracy", Max, Accuracy, "reward model: fraction of a batch's pairs whose chosen answer scores above the rejected"),
        new("val/accuracy", Max, Accuracy, "reward model: accuracy on the held-out pairs", EvaluatedBy: [Reward]),
        new("test/acc", Max, Accuracy, "fraction of test examples classified right, once after training"),
        new("rewards/accuracies", Max, Accuracy, "DPO: fraction of pairs whose chosen reward beats the rejected one"),
        new("val/rewards/accuracies", Max, Accuracy, "DPO: rewards/accuracies on the validation pairs", EvaluatedBy: [Dpo]),

        // DPO's implicit rewards: training should raise chosen above rejected; the margin is what counts.
        new("rewards/chosen", Max, Rewards, "DPO: implicit reward of the chosen completions"),
        new("rewards/rejected", Min, Rewards, "DPO: implicit reward of the rejected completions"),
        new("rewards/margins", Max, Rewards, "DPO: mean chosen minus rejected reward"),
        new("val/rewards/margins", Max, Rewards, "DPO: rewards/margins on the validation pairs", EvaluatedBy: [Dpo]),
        new("val/rewards/chosen", Max, Rewards, "DPO: rewards/chosen on the validation pairs", EvaluatedBy: [Dpo]),
        new("val/rewards/rejected", Min, Rewards, "DPO: rewards/rejected on the validation pairs", EvaluatedBy: [Dpo]),
        new("margin", Max, Rewards, "reward model: mean chosen minus rejected score of a batch"),
        new("val/margin", Max, Rewards, "reward model: margin on the held-out pairs", EvaluatedBy: [Reward]),
        new("mean_reward", Neutral, Rewards, "reward model: mean score of a batch's answers"),
        new("min_reward", Neutral, Rewards, "reward model: lowest score of a batch's answers"),
        new("max_reward", Neutral, Rewards, "reward model: highest score of a batch's answers"),
        new("val/mean_reward", Neutral, Rewards, "reward model: mean score of the held-out answers"),
        new("val/min_reward", Neutral, Rewards, "reward model: lowest score of the held-out answers"),
        new("val/max_reward", Neutral, Rewards, "reward model: highest score of the held-out answers"),
        new("objective/scores", Max, Rewards, "PPO: mean score of the rollout's completions (reward model, or task checkers: 1 right, 0 wrong), end-of-turn penalty included"),
        new("objective/rlhf_reward", Max, Rewards, "PPO: score minus the KL penalty, what PPO maximises"),
        new("objective/non_score_reward", Max, Rewards, "PPO: the KL penalty term (minus beta times KL)"),
        new("reward", Max, Rewards, "GRPO: mean reward of the sampled completions"),
        new("reward_std", Neutral, Rewards, "GRPO: spread of rewards within a group (no spread, no signal)"),
        new("rewards/<fn>/mean", Max, Rewards, "GRPO: mean score of one reward function (train.grpo.reward_funcs), unweighted"),
        new("frac_reward_zero_std", Min, Rewards, "GRPO: fraction of completions in groups whose rewards are all equal (advantage 0: no signal)"),

        // Both log-probabilities usually fall under DPO; only their difference against the reference is trained.
        new("logps/chosen", Neutral, LogProbs, "DPO: policy log-probability of the chosen completions"),
        new("logps/rejected", Neutral, LogProbs, "DPO: policy log-probability of the rejected completions"),
        new("val/logps/chosen", Neutral, LogProbs, "DPO: logps/chosen on the validation pairs"),
        new("val/logps/rejected", Neutral, LogProbs, "DPO: logps/rejected on the validation pairs"),

        new("objective/kl", Min, Kl, "PPO: KL divergence of the policy from the reference"),
        new("kl", Min, Kl, "GRPO: KL divergence of the policy from the reference"),
        new("policy/approxkl_avg", Min, Kl, "PPO: approximate KL between the old and the updated policy"),

        // Entropy has no better direction: collapse and noise are both bad.
        new("objective/entropy", Neutral, Entropy, "PPO: the sampled tokens' surprisal, summed per completion (TRL's entropy estimate)"),
        new("entropy", Neutral, Entropy, "GRPO: entropy of the policy's token distribution"),
        new("policy/entropy_avg", Neutral, Entropy, "PPO: entropy during the policy update"),
        new("clip_ratio", Neutral, Entropy, "GRPO: fraction of tokens whose probability ratio was clipped"),
        new("completions/clipped_ratio", Min, Entropy, "GRPO: fraction of sampled completions cut at max_completion_length without end of turn"),
        new("policy/clipfrac_avg", Neutral, Entropy, "PPO: fraction of policy updates clipped"),
        new("val/clipfrac_avg", Neutral, Entropy, "PPO (a training metric, TRL's value-head name): fraction of value updates clipped"),
        new("val/ratio", Neutral, Entropy, "PPO (a training metric, TRL's name): mean probability ratio of the updated to the rollout policy"),
        new("val/num_eos_tokens", Max, null, "PPO (a training metric, TRL's name): completions of the rollout that emitted end of turn"),

        new("val/exact_match", Max, Solved, "fraction of held-out prompts answered exactly (greedy decoding)",
            EvaluatedBy: [PretrainOnChat, Sft, Dpo, Ppo, Grpo]),
        new("val/exact_match/<task>", Max, Solved, "val/exact_match on one task of the suite", EvaluatedBy: [PretrainOnChat, Sft, Dpo, Ppo, Grpo]),
        new("val/completions/mean_length", Neutral, Completions, "mean length of the greedy answers to the held-out prompts, in tokens"),
        new("mean_token_accuracy", Max, Accuracy, "SFT: fraction of the answer tokens of a batch the model predicts right"),
        new("num_tokens", Neutral, null, "SFT: answer tokens trained on so far"),
        new("val/pass@<k>", Max, Solved, "fraction of prompts with a verified answer among k samples", EvaluatedBy: [Grpo]),
        new("completions/mean_length", Neutral, Completions, "GRPO: mean length of the sampled completions, in tokens"),

        new("lr", Neutral, Lr, "learning rate of this step"),
        new("samples_per_s", Max, Throughput, "training examples per second", Timing: true),
        new("tokens_per_s", Max, Throughput, "training tokens per second", Timing: true),
        new("step_time", Min, Throughput, "GRPO: seconds this step took, rollout and update", Timing: true),
        new("step_ms", Min, Throughput, "summary: mean train step time, first 10 steps and evaluation left out", Timing: true),
        new("rollout_tokens_per_s", Max, Throughput, "RL stages: completion tokens generated per second of rollout (drawing and scoring)", Timing: true),
        new("update_ms", Min, Throughput, "RL stages: mean time of a step's policy update(s) on its rollout, first step left out", Timing: true),
        new("mfu", Max, Throughput, "model FLOPs utilisation: achieved over the device's peak FLOP/s", Timing: true),
        new("grad_norm", Neutral, GradNorm, "global gradient norm before clipping"),

        // Not curves: x axes and run-level figures of the summary.
        new("epoch", Neutral, null, "fractional passes over the training split (an x axis)"),
        new("tokens", Neutral, null, "tokens seen so far (an x axis)"),
        new("params", Neutral, null, "summary: trainable parameters"),
        new("vocab_size", Neutral, null, "summary: the tokenizer's vocabulary size"),
        new("allreduce_ms", Min, null, "summary (--nproc): mean time per train step rank 0 waits in all-reduces (gradients, loss), first 10 steps left out", Timing: true),
        new("peak_mem_mb", Min, null, "summary: peak memory of the run", Timing: true),
        new("fit/weight_rel_error", Min, null, "summary (linreg): relative error of the fitted weights"),
        new("fit/bias_rel_error", Min, null, "summary (linreg): relative error of the fitted bias"),
    ]);
}
