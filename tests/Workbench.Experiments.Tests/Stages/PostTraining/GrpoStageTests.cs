// Stage grpo on the task suite: from the chain's barely pretrained model, sampling eight answers to each
// of a handful of `compare` problems and rewarding the right ones raises the reward within seconds; the
// KL to the reference is logged when beta weighs it and stops a run past max_kl; specs that cannot run
// are refused before anything is written.
using Workbench.Experiments.Runs;
using Workbench.Experiments.Specs;
using Workbench.Tracking;

namespace Workbench.Experiments.Tests.Stages.PostTraining;

[Collection(TaskChainCollection.Name)]
public sealed class GrpoStageTests(TaskChain chain)
{
    private RunOutcome Grpo(string from, params string[] overrides) =>
        chain.Start(chain.Load(["train.stage=grpo", $"train.init_from={from}", "train.batch_size=32", "train.max_steps=30", "train.eval.every=30",
            "train.optimizer.lr=3e-3", "train.grpo.max_completion_length=6", .. overrides]));

    private static double Mean(IEnumerable<double> values) => values.Average();

    [Fact]
    public void Grpo_raises_the_reward_of_its_samples_on_problems_the_start_model_half_solves()
    {
        // Given a short fine-tuning of the pretrained run, which answers the eight problems only sometimes right
        var sft = chain.Start(chain.Load("train.stage=sft", $"train.init_from={chain.Pretrain.RunId}", "train.max_steps=50", "train.eval.every=50"));

        // When GRPO samples eight answers to each of the eight problems a step, 40 steps, and rewards the right ones
        var outcome = Grpo(sft.RunId, "train.batch_size=64", "train.max_steps=40", "train.eval.every=40", "train.optimizer.lr=2e-3");

        // Then the mean reward of the last steps is well above the first steps'
        Assert.Equal(RunStatus.Finished, outcome.Status);
        var reward = chain.Metric(outcome.RunId, "reward").Values;
        var (start, end) = (Mean(reward.Take(5)), Mean(reward.TakeLast(5)));
        Assert.True(end > start + 0.2, $"reward went from {start:0.000} (first 5 steps) to {end:0.000} (last 5)");
        // And each reward function, the groups without spread, the completions and the timing are logged by TRL's names
        foreach (var key in new[] { "rewards/correctness/mean", "rewards/format/mean", "reward_std", "frac_reward_zero_std",
                     "completions/mean_length", "completions/clipped_ratio", "clip_ratio", "entropy", "step_time",
                     "val/exact_match", "val/exact_match/compare", "val/pass@8" })
            Assert.True(double.IsFinite(chain.Metric(outcome.RunId, key).Values[^1]), key);
        // And no kl without beta (no reference is loaded), and rollout and update are timed apart in the summary
        using var store = RunStore.Open(chain.Database);
        Assert.DoesNotContain("kl", store.GetMetrics(outcome.RunId, ["kl"]).Keys);
        var summary = chain.Run(outcome.RunId).Summary;
        Assert.True(summary["rollout_tokens_per_s"] > 0);
        Assert.True(summary["update_ms"] > 0);
    }

    [Fact]
    public void With_beta_the_kl_to_the_reference_starts_at_zero_and_several_updates_per_rollout_clip()
    {
        // When GRPO runs from the sft run with a KL penalty, two updates on each rollout and Dr. GRPO's normalisation
        var outcome = Grpo(chain.Sft.RunId, "train.max_steps=6", "train.eval.every=6", "train.grpo.beta=0.05", "train.grpo.num_iterations=2",
            "train.grpo.loss_type=dr_grpo", "train.grpo.scale_rewards=none", "train.log_every=1");

        // Then the first step's policy is the reference (kl 0), the kl grows from there and stays finite
        Assert.Equal(RunStatus.Finished, outcome.Status);
        var kl = chain.Metric(outcome.RunId, "kl").Values;
        Assert.Equal(0, kl[0], 5);
        Assert.True(kl[^1] > 0 && double.IsFinite(kl[^1]), $"kl ended at {kl[^1]}");
    }

    [Fact]
    public void A_kl_past_max_kl_stops_the_run_as_diverged_naming_the_step()
    {
        // When the KL limit is below what the first updates reach
        var outcome = Grpo(chain.Pretrain.RunId, "train.grpo.beta=0.01", "train.grpo.max_kl=1e-6", "train.log_every=100");

        // Then the run stops as diverged at the first step past it, says so, and its kl is logged there
        Assert.Equal(RunStatus.Diverged, outcome.Status);
        var kl = chain.Metric(outcome.RunId, "kl");
        Assert.Contains($"past train.grpo.max_kl 1E-06 at step {kl.Steps[^1]}", outcome.Error);
        Assert.True(kl.Values[^1] > 1e-6);
        Assert.True(kl.Steps[^1] < 30);
    }

    [Fact]
    public void A_num_generations_that_does_not_divide_the_batch_is_a_spec_error_naming_both_and_nothing_is_written()
    {
        var runs = chain.RunCount();

        var error = Assert.Throws<SpecException>(() => chain.Load("train.stage=grpo", $"train.init_from={chain.Sft.RunId}", "train.batch_size=32",
            "train.grpo.num_generations=5"));

        var problem = Assert.Single(error.Errors);
        Assert.Equal("train.grpo.num_generations", problem.KeyPath);
        Assert.Contains("5 completions per prompt must divide train.batch_size 32", problem.Message);
        Assert.Equal(runs, chain.RunCount());
    }

    [Fact]
    public void Grpo_without_a_run_to_start_from_or_with_completions_past_the_block_is_refused_before_a_run_exists()
    {
        var runs = chain.RunCount();

        var alone = Assert.Throws<RunSetupException>(() => chain.Start(chain.Load("train.stage=grpo", "train.batch_size=32")));
        var longer = Assert.Throws<RunSetupException>(() => Grpo(chain.Sft.RunId, "train.grpo.max_completion_length=60"));

        Assert.Contains("stage grpo needs train.init_from", alone.Message);
        Assert.Contains("with train.grpo.max_completion_length 60 it does not fit model.block_size 64 + 1", longer.Message);
        Assert.Equal(runs, chain.RunCount());
    }
}
