// End-to-end, the stages beyond MNIST under `workbench run --nproc 2` (two processes of one thread over
// Gloo on 127.0.0.1): sft, reward and dpo give one process's loss series and evaluations with the same
// global batch; a GPT pretrain run's sharded evaluation matches one process's, and a rank killed with
// kill -9 mid-run fails the run naming it, and resume finishes it; `show` says how many processes trained
// a run; a stage the stage table marks as not data-parallel is refused before any rank starts.
using System.Diagnostics;
using System.Text.Json;
using Workbench.Experiments.Catalog;

namespace Workbench.Cli.Tests;

public sealed class ParallelStageTests : IDisposable
{
    // A char GPT small enough that a step takes milliseconds; no dropout, so every rank's forward is one process's.
    private const string Chats = """
        name: NAME
        seed: 5
        device: cpu
        threads: 1
        data: {dataset: jsonl, path: PATH, split: {val: 0.2}, tokenizer: {kind: char}}
        model: {kind: gpt, n_layer: 1, n_head: 2, n_embd: 16, block_size: 64, dropout: 0.0}
        train:
          stage: sft
          optimizer: {name: adamw, lr: 3.0e-3}
          batch_size: 8
          grad_accum: 2
          max_steps: 16
          log_every: 1
          eval: {every: 8}
          checkpoint: {every: 1000, keep: 1}
        """;

    private const string Gpt = """
        name: gpt-ddp
        seed: 7
        device: cpu
        threads: 1
        data: {dataset: text, path: PATH, tokenizer: {kind: char}}
        model: {kind: gpt, n_layer: 1, n_head: 2, n_embd: 16, block_size: 16, dropout: 0.0}
        train: {stage: pretrain, optimizer: {name: adamw, lr: 3.0e-3}, batch_size: 4, max_steps: 1500, log_every: 10,
                eval: {every: 500, batches: 5}, checkpoint: {every: 25, keep: 2}}
        metric: {name: val/loss}
        """;

    // Greetings of different lengths, so that the ranks' shares of a batch hold different numbers of answer tokens.
    private static readonly string[] Names = ["al", "eli", "mia", "leo", "hal", "moe", "lia", "ola", "mae", "emil", "amelia", "io"];

    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [SkippableFact]
    public void Sft_reward_and_dpo_on_two_ranks_give_the_loss_series_and_evaluations_of_one_process()
    {
        ParallelRunTests.SkipWithoutGloo();
        var completions = _cli.Write("completions.jsonl", string.Concat(Names.SelectMany(n => new[]
        {
            $"{{\"prompt\": \"hi, i am {n}\", \"completion\": \"hello {n}\"}}\n",
            $"{{\"prompt\": \"i am {n}\", \"completion\": \"hi {n}, hello\"}}\n",
        })));
        var pairs = _cli.Write("pairs.jsonl", string.Concat(Names.Select(n =>
            $"{{\"prompt\": \"hi, i am {n}\", \"chosen\": \"hello {n}\", \"rejected\": \"meh\"}}\n")));
        var sftSpec = _cli.Write("sft.yaml", Chats.Replace("NAME", "sft-ddp").Replace("PATH", completions));

        // sft: token-weighted means over micro-batches that the ranks split unevenly in tokens
        var sft = Pair(sftSpec, ["mean_token_accuracy", "num_tokens", "val/loss", "val/exact_match"]);

        // show: world size, backend and nodes; a single process is world size 1
        var one = _cli.Show(sft.Single).GetProperty("parallel");
        var two = _cli.Show(sft.Parallel).GetProperty("parallel");
        Assert.Equal((1, JsonValueKind.Null, 1), (one.GetProperty("world_size").GetInt32(), one.GetProperty("backend").ValueKind, one.GetProperty("nodes").GetInt32()));
        Assert.Equal((2, "gloo", 1), (two.GetProperty("world_size").GetInt32(), two.GetProperty("backend").GetString(), two.GetProperty("nodes").GetInt32()));
        Assert.Contains("parallel 1 process (world size 1)", _cli.Run("show", sft.Single).Stdout);
        Assert.Contains("parallel 2 ranks (gloo) on 1 node", _cli.Run("show", sft.Parallel).Stdout);

        // reward and dpo from the one-process sft run: means over pairs, the extremes of the rewards, RPO's token mean,
        // and the reference's log-probabilities precomputed by each rank for its share. With SGD: Adam's first steps
        // move a weight by lr whatever its gradient's size, so a gradient that float32 rounding leaves near 0 in one
        // run and of the other sign in the other would part the runs by far more than rounding.
        var sgd = "optimizer: {name: sgd, lr: 0.05}";
        Pair(_cli.Write("reward.yaml", Chats.Replace("NAME", "reward-ddp").Replace("PATH", pairs).Replace("optimizer: {name: adamw, lr: 3.0e-3}", sgd)
                .Replace("stage: sft", $"stage: reward\n  init_from: {sft.Single}").Replace("grad_accum: 2", "grad_accum: 1")),
            ["accuracy", "min_reward", "max_reward", "val/loss", "val/accuracy", "val/min_reward", "val/max_reward"]);
        Pair(_cli.Write("dpo.yaml", Chats.Replace("NAME", "dpo-ddp").Replace("PATH", pairs).Replace("optimizer: {name: adamw, lr: 3.0e-3}", sgd)
                .Replace("stage: sft", $"stage: dpo\n  init_from: {sft.Single}\n  dpo: {{rpo_alpha: 0.5, precompute_ref_log_probs: true}}")
                .Replace("grad_accum: 2", "grad_accum: 1")),
            ["rewards/margins", "nll_loss", "val/loss", "val/rewards/margins"]);
    }

    [SkippableFact]
    public void A_gpt_pretrain_run_on_two_ranks_evaluates_its_windows_as_one_process_does()
    {
        ParallelRunTests.SkipWithoutGloo();
        // A learning rate too small to move the weights: the evaluations then see one model in both runs, over
        // 5 batches of 4 windows of the train split and the val split's 17 (an uneven split between the ranks).
        var config = _cli.Write("gpt.yaml", Gpt.Replace("PATH", _cli.Write("story.txt", LanguageModelTests.Story()))
            .Replace("lr: 3.0e-3", "lr: 1.0e-12").Replace("max_steps: 1500", "max_steps: 4").Replace("every: 500", "every: 2"));

        var single = _cli.Run("run", config);
        var parallel = _cli.Run("run", config, "--nproc", "2");

        Assert.True(single.ExitCode == 0, single.Stderr);
        Assert.True(parallel.ExitCode == 0, parallel.Stderr);
        foreach (var key in new[] { "train/eval_loss", "val/loss" }) AssertSameSeries(single.LastLine, parallel.LastLine, key);
    }

    [SkippableFact]
    public void A_gpt_pretrain_rank_killed_mid_run_fails_the_run_naming_it_and_resume_finishes_it()
    {
        ParallelRunTests.SkipWithoutGloo();
        var config = _cli.Write("gpt.yaml", Gpt.Replace("PATH", _cli.Write("story.txt", LanguageModelTests.Story())));
        var id = ParallelRunTests.KillRankOneMidRun(_cli, config, pastStep: 25);

        var resumed = _cli.Run("resume", id);

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal("finished", _cli.Show(id).GetProperty("status").GetString());
        Assert.Equal(1500.0, _cli.Series(id, "train/loss").Steps[^1]);
        Assert.True(File.Exists(Path.Combine(_cli.Show(id).GetProperty("run_dir").GetString()!, "checkpoints", "final", "model.safetensors")));
    }

    [Theory]
    [InlineData("grpo", "samples G completions per prompt")]
    [InlineData("ppo", "rolls out on its prompts")]
    public void A_stage_the_stage_table_marks_as_not_data_parallel_is_refused_before_any_rank_starts(string stage, string why)
    {
        Assert.False(StageTable.Get(stage).DataParallel);
        var config = _cli.Write($"{stage}.yaml", $$"""
            name: {{stage}}-ddp
            data: {dataset: tasks}
            model: {kind: gpt, n_layer: 1, n_head: 2, n_embd: 16, block_size: 64}
            train: {stage: {{stage}}, init_from: sft-run, batch_size: 8, max_steps: 10}
            """);

        var result = _cli.Run("run", config, "--nproc", "2");

        _cli.AssertRefusedWithNothingWritten(result, 2, $"train.stage {stage} does not run data-parallel: ", why, "run it without --nproc",
            "data-parallel stages: supervised, pretrain, sft, reward, dpo");
    }

    // Runs a spec in one process and on two ranks and compares their train/loss and the given series.
    private (string Single, string Parallel) Pair(string config, string[] keys)
    {
        var single = _cli.Run("run", config);
        var parallel = _cli.Run("run", config, "--nproc", "2");
        Assert.True(single.ExitCode == 0, single.Stderr);
        Assert.True(parallel.ExitCode == 0, parallel.Stderr);
        foreach (var key in keys.Prepend("train/loss")) AssertSameSeries(single.LastLine, parallel.LastLine, key);
        return (single.LastLine, parallel.LastLine);
    }

    private void AssertSameSeries(string single, string parallel, string key)
    {
        var (expectedSteps, expected) = _cli.Series(single, key);
        var (steps, actual) = _cli.Series(parallel, key);
        Assert.True(expected.Length > 0, $"{key} was not logged");
        Assert.Equal(expectedSteps, steps);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 + 1e-4 * Math.Abs(expected[i]), $"{key} at step {steps[i]}: {actual[i]} on two ranks, {expected[i]} in one process");
    }


}
