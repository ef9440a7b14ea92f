// Stage sft on the task suite, driven as `workbench run` drives it: fine-tuned from a pretrained run on
// a handful of problems, it learns them by heart, answers each and stops at end of turn, and keeps the
// pretrained run's tokenizer (the ids its weights mean).
using Workbench.Data.Chat;
using Workbench.Data.Tasks;
using Workbench.Experiments.Data;
using Workbench.Experiments.Evals;
using Workbench.Experiments.Lineage;
using Workbench.Experiments.Runs;
using Workbench.Models;
using Workbench.Torch;
using Workbench.Tracking;

namespace Workbench.Experiments.Tests.Stages.PostTraining;

[Collection(TaskChainCollection.Name)]
public sealed class SftStageTests(TaskChain chain)
{
    [Fact]
    public void Fine_tuning_on_a_handful_of_problems_drives_the_answer_loss_near_zero_and_every_answer_token_right()
    {
        // Given the chain's sft run: 150 steps on the same eight problems its parent was pretrained on
        Assert.Equal(RunStatus.Finished, chain.Sft.Status);

        // Then its answer-token loss falls below a fiftieth of where it started, and it predicts every answer token
        var loss = chain.Metric(chain.Sft.RunId, "train/loss");
        Assert.True(loss.Values[^1] < loss.Values[0] / 50, $"train/loss went from {loss.Values[0]} to {loss.Values[^1]}");
        Assert.Equal(1.0, chain.Metric(chain.Sft.RunId, "mean_token_accuracy").Values[^1]);
        Assert.True(chain.Metric(chain.Sft.RunId, "num_tokens").Values[^1] > 0);
    }

    [Fact]
    public void With_packing_the_conversations_share_block_size_rows_and_are_learnt_as_well()
    {
        // Given the same fine-tuning with train.sft.packing: the eight conversations back to back in 64-token rows
        var packed = chain.Start(chain.Load("train.stage=sft", $"train.init_from={chain.Pretrain.RunId}", "train.max_steps=150",
            "train.eval.every=150", "train.sft.packing=true"));

        // Then it learns them too, if not as far: an answer cut off from its question by a row boundary cannot be
        // predicted from what the row holds, so the loss keeps a floor that padding does not have
        Assert.Equal(RunStatus.Finished, packed.Status);
        var loss = chain.Metric(packed.RunId, "train/loss");
        Assert.True(loss.Values[^1] < loss.Values[0] / 5, $"train/loss went from {loss.Values[0]} to {loss.Values[^1]}");
        Assert.True(chain.Metric(packed.RunId, "mean_token_accuracy").Values[^1] > 0.6,
            $"mean_token_accuracy ended at {chain.Metric(packed.RunId, "mean_token_accuracy").Values[^1]}");
    }

    [Fact]
    public void Its_evaluation_answers_the_held_out_prompts_overall_and_per_task()
    {
        // Then each evaluation logs exact match overall and for its one task, and answers of a finite, short length
        foreach (var key in new[] { "val/loss", "val/exact_match", "val/exact_match/compare" })
            Assert.True(double.IsFinite(chain.Metric(chain.Sft.RunId, key).Values[^1]), key);
        var exact = chain.Metric(chain.Sft.RunId, "val/exact_match").Values[^1];
        Assert.InRange(exact, 0, 1);
        Assert.Equal(exact, chain.Metric(chain.Sft.RunId, "val/exact_match/compare").Values[^1]);
        // At most the longest answer (3 digits) plus end of turn plus the 4 tokens of slack the evaluation allows
        Assert.InRange(chain.Metric(chain.Sft.RunId, "val/completions/mean_length").Values[^1], 1, 3 + 1 + 4);
    }

    [Fact]
    public void The_fine_tuned_model_answers_each_problem_it_was_taught_and_then_stops()
    {
        // Given the sft run's final weights and tokenizer, and the eight problems it trained on
        using var store = RunStore.Open(chain.Database);
        using var trained = TrainedModel.Load(store, chain.Sft.RunId, Device.Cpu, "test");
        using var model = (Gpt)trained.Build(Device.Cpu);
        var problems = new TaskSuite(["compare"]).Train(8, seed: 11);
        var template = new ChatTemplate(trained.Tokenizer!);
        var taught = problems.Select(p => new EvalPrompt(template.EncodePrompt(p.Question), p.Answer, p.Task)).ToList();
        var data = new ChatData(trained.Tokenizer!, [], [], taught, "", "", "");

        // When it answers them by greedy decoding, as val/exact_match does
        var answers = new List<(string Expected, string Given)>();
        var metrics = ExactMatch.Evaluate(model, data, Device.Cpu, (prompt, answer, _) => answers.Add((prompt.Answer, answer)));

        // Then every answer is the right text exactly, and each completion is its answer and one end of turn
        Assert.All(answers, a => Assert.Equal(a.Expected, a.Given));
        Assert.Equal(1.0, metrics.Single(m => m.Name == "val/exact_match").Value);
        var answerTokens = problems.Average(p => trained.Tokenizer!.Encode(p.Answer).Length + 1.0);
        Assert.Equal(answerTokens, metrics.Single(m => m.Name == "val/completions/mean_length").Value, 9);
    }

    [Fact]
    public void A_fine_tuned_run_keeps_the_tokenizer_of_the_run_it_started_from()
    {
        var pretrain = chain.Run(chain.Pretrain.RunId);
        var sft = chain.Run(chain.Sft.RunId);

        Assert.Equal(pretrain.Id, sft.InitFromId);
        Assert.Equal(File.ReadAllText(Path.Combine(pretrain.RunDir, TrainedModel.TokenizerFile)),
                     File.ReadAllText(Path.Combine(sft.RunDir, TrainedModel.TokenizerFile)));
    }
}
