// The post-training stages on the user's own JSONL files in TRL's shapes: sft on {prompt, completion}
// lines, then reward and dpo from it on {prompt, chosen, rejected} lines; a malformed line is refused
// with its file and line before anything is written.
using Workbench.Experiments.Runs;
using Workbench.Tracking;

namespace Workbench.Experiments.Tests.Stages.PostTraining;

[Collection(TaskChainCollection.Name)]
public sealed class ChatJsonlTests(TaskChain chain)
{
    private const string Spec = """
        name: own-chats
        seed: 5
        device: cpu
        threads: 1
        data:
          dataset: jsonl
          split: {val: 0.2}
          tokenizer: {kind: char}
        model: {kind: gpt, n_layer: 1, n_head: 2, n_embd: 32, block_size: 64}
        train:
          stage: sft
          optimizer: {name: adamw, lr: 3.0e-3}
          batch_size: 8
          max_steps: 120
          log_every: 1
          eval: {every: 120}
          checkpoint: {every: 1000, keep: 1}
        """;

    // Ten greetings and their replies; the pairs prefer the reply to a curt refusal. The names use only letters of
    // "hi, i am" and "hello": the sft run's character vocabulary is its training lines', which the pairs must not leave.
    private static readonly string[] Names = ["al", "eli", "mia", "leo", "hal", "moe", "lia", "ola", "mae", "emil"];

    private string Completions() => chain.WriteFile("completions.jsonl", string.Concat(Names.Select(n =>
        $"{{\"prompt\": \"hi, i am {n}\", \"completion\": \"hello {n}\"}}\n")));

    private string Pairs() => chain.WriteFile("preferences.jsonl", string.Concat(Names.Select(n =>
        $"{{\"prompt\": \"hi, i am {n}\", \"chosen\": \"hello {n}\", \"rejected\": \"meh\"}}\n")));

    [Fact]
    public void Sft_on_prompt_completion_lines_then_reward_and_dpo_on_preference_lines_train()
    {
        // Given an sft run on the user's {prompt, completion} file
        var sft = chain.Start(chain.LoadYaml(Spec, $"data.path={Completions()}"));
        Assert.Equal(RunStatus.Finished, sft.Status);
        var loss = chain.Metric(sft.RunId, "train/loss");
        Assert.True(loss.Values[^1] < loss.Values[0] / 10, $"sft train/loss went from {loss.Values[0]} to {loss.Values[^1]}");
        Assert.Equal(1.0, chain.Metric(sft.RunId, "mean_token_accuracy").Values[^1]);
        Assert.InRange(chain.Metric(sft.RunId, "val/exact_match").Values[^1], 0, 1);

        // When a reward model and a DPO policy start from it on the {prompt, chosen, rejected} file
        var pairs = Pairs();
        var reward = chain.Start(chain.LoadYaml(Spec, $"data.path={pairs}", "train.stage=reward", $"train.init_from={sft.RunId}", "train.optimizer.lr=1e-3", "train.max_steps=60", "train.eval.every=60"));
        var dpo = chain.Start(chain.LoadYaml(Spec, $"data.path={pairs}", "train.stage=dpo", $"train.init_from={sft.RunId}", "train.optimizer.lr=1e-3", "train.max_steps=40", "train.eval.every=40"));

        // Then both learn the preference on the pairs they train on
        Assert.Equal((RunStatus.Finished, RunStatus.Finished), (reward.Status, dpo.Status));
        Assert.Equal(1.0, chain.Metric(reward.RunId, "accuracy").Values[^1]);
        var margins = chain.Metric(dpo.RunId, "rewards/margins");
        Assert.True(margins.Values[^1] > margins.Values[0] + 0.5, $"rewards/margins went from {margins.Values[0]} to {margins.Values[^1]}");
        Assert.Equal(1.0, chain.Metric(dpo.RunId, "rewards/accuracies").Values[^1]);
    }

    [Theory]
    [InlineData("sft", "{\"prompt\": \"hi\", \"completion\": \"hello\"}\n{\"prompt\": \"yo\"}\n", ":2: ")]
    [InlineData("reward", "{\"prompt\": \"hi\", \"chosen\": \"hello\", \"rejected\": \"no\"}\n\n{\"prompt\": \"yo\", \"chosen\": \"no\", \"rejected\": \"no\"}\n", ":3: ")]
    [InlineData("sft", "{\"prompt\": \"hi\", \"completion\": \"hello\"}\nnot json\n", ":2: ")]
    public void A_bad_line_is_refused_with_its_file_and_line_and_nothing_is_written(string stage, string lines, string where)
    {
        // Given a JSONL file with one bad line, and a folder with no run store
        var path = chain.WriteFile($"bad-{Guid.NewGuid():N}.jsonl", lines);
        var database = Path.Combine(chain.Folder, "jsonl-bad", "workbench.db");

        // When a run on it is started, then it is refused with the file and line, and no run store is created
        var error = Assert.Throws<RunSetupException>(() => new ExperimentRunner(SilentObserver.Instance, CancellationToken.None)
            .Start(chain.LoadYaml(Spec, $"data.path={path}", $"train.stage={stage}"), new RunRequest(database, "test")));
        Assert.StartsWith(path + where, error.Message);
        Assert.False(File.Exists(database));
    }
}
