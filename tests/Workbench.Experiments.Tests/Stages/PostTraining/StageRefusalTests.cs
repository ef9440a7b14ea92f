// Post-training specs that cannot run are refused before a run exists, with a message that says which
// key is wrong and why: dpo with no run to start from (and to hold as its reference), and a stage
// started from a run whose tokenizer has no chat specials.
using Workbench.Experiments.Runs;
using Workbench.Tracking;

namespace Workbench.Experiments.Tests.Stages.PostTraining;

[Collection(TaskChainCollection.Name)]
public sealed class StageRefusalTests(TaskChain chain)
{
    [Fact]
    public void Dpo_without_a_run_to_start_from_is_refused_before_a_run_store_exists()
    {
        // Given a dpo spec with no train.init_from, and a folder with no run store
        var spec = chain.Load("train.stage=dpo");
        var database = Path.Combine(chain.Folder, "dpo-alone", "workbench.db");

        // When it is started, then it is refused (exit 2), says what is missing, and writes nothing
        var error = Assert.Throws<RunSetupException>(() =>
            new ExperimentRunner(SilentObserver.Instance, CancellationToken.None).Start(spec, new RunRequest(database, "test")));
        Assert.Contains("stage dpo needs train.init_from", error.Message);
        Assert.False(File.Exists(database));
    }

    [Theory]
    [InlineData("sft", "tasks")]
    [InlineData("dpo", "tasks")]
    [InlineData("grpo", "tasks")]
    [InlineData("reward", "jsonl")]
    [InlineData("dpo", "jsonl")]
    public void A_stage_started_from_a_run_whose_tokenizer_has_no_chat_specials_is_refused(string stage, string dataset)
    {
        // Given a character GPT pretrained on plain text: its tokenizer has no <|im_start|> or <|im_end|>
        var text = chain.WriteFile("corpus.txt", string.Concat(Enumerable.Repeat("Which is larger: 12 or 345? 345 is larger than 12.\n", 40)));
        var parent = chain.Start(chain.LoadYaml(TextPretrain, $"data.path={text}"));
        Assert.Equal(RunStatus.Finished, parent.Status);
        var pairs = chain.WriteFile("pairs.jsonl", string.Concat(Enumerable.Range(1, 10).Select(i =>
            $"{{\"prompt\": \"Which is larger: {i} or {i + 10}?\", \"chosen\": \"{i + 10}\", \"rejected\": \"{i}\"}}\n")));
        var runs = chain.RunCount();

        // When a post-training stage is started from it
        var spec = dataset == "tasks"
            ? chain.Load($"train.stage={stage}", $"train.init_from={parent.RunId}")
            : chain.LoadYaml(TextPretrain, $"data.dataset=jsonl", $"data.path={pairs}", $"train.stage={stage}", $"train.init_from={parent.RunId}");
        var error = Assert.Throws<RunSetupException>(() => chain.Start(spec));

        // Then it is refused, naming train.init_from and the chat specials it lacks (before the digits its
        // vocabulary lacks for the pairs' file), and no run is added
        Assert.StartsWith("train.init_from: ", error.Message);
        Assert.Contains("has no <|im_start|>; chat data needs", error.Message);
        Assert.EndsWith("Start from a run trained on chat data (dataset tasks or jsonl).", error.Message);
        Assert.Equal(runs, chain.RunCount());
    }

    private const string TextPretrain = """
        name: plain
        seed: 11
        device: cpu
        threads: 1
        data:
          dataset: text
          tokenizer: {kind: char}
        model: {kind: gpt, n_layer: 1, n_head: 2, n_embd: 32, block_size: 64}
        train:
          stage: pretrain
          batch_size: 2
          max_steps: 2
          eval: {every: 2, batches: 1}
        """;
}
