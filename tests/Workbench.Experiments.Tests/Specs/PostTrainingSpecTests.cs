// The post-training keys in specs: the task suite's keys (data.tasks, difficulty, problems,
// eval_problems, hardness, skip_problems) and each stage's own section (train.sft, train.reward, train.dpo): where
// they are refused, what they default to, and that specs without them hash as they always did.
using Workbench.Experiments.Specs;

namespace Workbench.Experiments.Tests.Specs;

public sealed class PostTrainingSpecTests : IDisposable
{
    private const string Tasks = "name: x\ndata: {dataset: tasks}\nmodel: {kind: gpt}\n";

    private readonly SpecFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static SpecError Single(IReadOnlyList<SpecError> errors, string keyPath)
    {
        var matching = errors.Where(e => e.KeyPath == keyPath).ToList();
        Assert.True(matching.Count == 1, $"expected one error at {keyPath}, got:\n{string.Join("\n", errors)}");
        return matching[0];
    }

    [Theory]
    [InlineData("difficulty: 2", "data.difficulty")]
    [InlineData("tasks: [add]", "data.tasks")]
    [InlineData("hardness: 0.5", "data.hardness")]
    public void A_task_key_on_another_dataset_is_refused_at_its_line(string line, string keyPath)
    {
        var errors = _folder.Errors($"name: x\ndata:\n  dataset: names\n  {line}\nmodel: {{kind: gpt}}\ntrain: {{max_steps: 5}}\n");

        var error = Single(errors, keyPath);
        Assert.Equal($"`{keyPath[5..]}` applies to dataset `tasks` only (this spec reads `names`)", error.Message);
        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void An_unknown_task_is_refused_with_the_nearest_name_and_the_list()
    {
        var error = Single(_folder.Errors("name: x\ndata: {dataset: tasks, tasks: [add, compre]}\nmodel: {kind: gpt}\ntrain: {stage: sft}\n"), "data.tasks");

        Assert.Equal("unknown task `compre`; did you mean `compare`? (the tasks are add, multiply, compare, reverse, uppercase, sort, count)",
                     error.Message);
    }

    [Theory]
    [InlineData("stage: sft, dpo: {beta: 0.2}", "train.dpo", "`train.dpo` holds stage dpo's keys; this spec's stage is `sft`")]
    [InlineData("stage: dpo, reward: {margin: 1}", "train.reward", "`train.reward` holds stage reward's keys; this spec's stage is `dpo`")]
    [InlineData("stage: pretrain, max_steps: 5, sft: {packing: true}", "train.sft", "`train.sft` holds stage sft's keys; this spec's stage is `pretrain`")]
    [InlineData("stage: dpo, dpo: {loss_type: ipo, label_smoothing: 0.1}", "train.dpo.label_smoothing",
        "label smoothing applies to the sigmoid loss only, not ipo")]
    public void A_stage_section_that_does_not_fit_the_stage_is_refused(string train, string keyPath, string message)
    {
        var error = Single(_folder.Errors(Tasks + $"train: {{{train}}}\n"), keyPath);

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("dpo: {loss_type: kto}", "train.dpo.loss_type", "kto")]
    [InlineData("dpo: {label_smoothing: 0.5}", "train.dpo.label_smoothing", "in [0, 0.5)")]
    [InlineData("dpo: {beta: 0}", "train.dpo.beta", "must be > 0")]
    [InlineData("dpo: {betta: 0.1}", "train.dpo.betta", "did you mean `beta`?")]
    public void A_dpo_value_outside_its_range_or_list_is_refused(string section, string keyPath, string expected)
    {
        var error = Single(_folder.Errors(Tasks + $"train: {{stage: dpo, {section}}}\n"), keyPath);

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_loss_type_outside_the_list_names_the_ones_there_are()
    {
        var error = Single(_folder.Errors(Tasks + "train: {stage: dpo, dpo: {loss_type: sigmod}}\n"), "train.dpo.loss_type");

        Assert.Contains("did you mean `sigmoid`?", error.Message);
        Assert.All(DpoSpec.LossTypes, t => Assert.Contains(t, error.Message));
    }

    [Theory]
    [InlineData("sft")]
    [InlineData("reward")]
    [InlineData("dpo")]
    [InlineData("grpo")]
    public void The_new_keys_resolve_to_their_documented_defaults(string stage)
    {
        var spec = _folder.Load(Tasks + $"train: {{stage: {stage}}}\n");

        Assert.Equal(new TaskSpec(ValueList.Of("add", "multiply", "compare", "reverse", "uppercase", "sort", "count"), 1, 20_000, 200, 0.5),
                     spec.Data.Tasks);
        StageSpec expected = stage switch
        {
            "sft" => new SftSpec(Packing: false),
            "reward" => new RewardSpec(Margin: 0, CenterCoefficient: 0),
            "dpo" => new DpoSpec(Beta: 0.1, LossType: "sigmoid", LabelSmoothing: 0, PrecomputeRefLogProbs: false),
            _ => new GrpoSpec(NumGenerations: 8, MaxCompletionLength: 32, Temperature: 1, TopK: null, TopP: 1, Epsilon: 0.2, EpsilonHigh: null,
                Beta: 0, LossType: "dapo", ScaleRewards: "group", NumIterations: 1,
                ValueList.Of(new RewardWeight("correctness", 1), new RewardWeight("format", 0.1)), MaxKl: null),
        };
        Assert.Equal(expected, spec.Train.Settings);
        Assert.Equal(1, spec.Train.Epochs);
    }

    [Fact]
    public void Stage_keys_given_round_trip_through_canonical_json_and_written_yaml()
    {
        var dpo = _folder.Load("name: x\ndata: {dataset: tasks, tasks: [count], difficulty: 3, problems: 50, eval_problems: 7, hardness: 1}\n" +
                               "model: {kind: gpt}\ntrain: {stage: dpo, dpo: {beta: 0.5, loss_type: hinge, precompute_ref_log_probs: true}}\n");

        Assert.Equal(dpo, SpecLoader.FromJson(SpecJson.Canonical(dpo)));
        Assert.Equal(dpo, SpecLoader.Load(_folder.Write("config.yaml", SpecYaml.Write(dpo))));
        Assert.Equal(new DpoSpec(0.5, "hinge", 0, true), dpo.Train.Settings);
        Assert.Equal(new TaskSpec(ValueList.Of("count"), 3, 50, 7, 1.0), dpo.Data.Tasks);
    }

    [Fact]
    public void Skip_problems_round_trips_when_set_and_is_left_out_of_the_document_when_not()
    {
        var rl = _folder.Load("name: x\ndata: {dataset: tasks, tasks: [compare], problems: 50, skip_problems: 20000}\nmodel: {kind: gpt}\ntrain: {stage: sft}\n");
        var plain = _folder.Load("name: x\ndata: {dataset: tasks, tasks: [compare], problems: 50}\nmodel: {kind: gpt}\ntrain: {stage: sft}\n");

        Assert.Equal(20_000, rl.Data.Tasks!.SkipProblems);
        Assert.Equal(rl, SpecLoader.FromJson(SpecJson.Canonical(rl)));
        Assert.Equal(rl, SpecLoader.Load(_folder.Write("rl.yaml", SpecYaml.Write(rl))));
        Assert.Contains("skip_problems", SpecJson.Canonical(rl));
        Assert.Equal(0, plain.Data.Tasks!.SkipProblems);
        Assert.DoesNotContain("skip_problems", SpecJson.Canonical(plain));   // so runs from before the key keep their hashes
    }

    [Fact]
    public void A_negative_skip_problems_is_refused()
    {
        var error = Single(_folder.Errors("name: x\ndata: {dataset: tasks, skip_problems: -1}\nmodel: {kind: gpt}\ntrain: {stage: sft}\n"), "data.skip_problems");

        Assert.Contains(">= 0", error.Message);
    }

    [Fact]
    public void Grpo_keys_given_round_trip_and_the_reward_functions_keep_the_catalogs_order()
    {
        var grpo = _folder.Load(Tasks + "train: {stage: grpo, batch_size: 12, grpo: {num_generations: 4, max_completion_length: 10, top_k: 5, " +
                                "epsilon_high: 0.28, beta: 0.04, loss_type: dr_grpo, scale_rewards: batch, num_iterations: 2, max_kl: 0.5, " +
                                "reward_funcs: {length: 0.2, correctness: 1}}}\n");

        Assert.Equal(grpo, SpecLoader.FromJson(SpecJson.Canonical(grpo)));
        Assert.Equal(grpo, SpecLoader.Load(_folder.Write("grpo.yaml", SpecYaml.Write(grpo))));
        Assert.Equal(new GrpoSpec(4, 10, 1, 5, 1, 0.2, 0.28, 0.04, "dr_grpo", "batch", 2,
            ValueList.Of(new RewardWeight("correctness", 1), new RewardWeight("length", 0.2)), 0.5), grpo.Train.Settings);
    }

    [Theory]
    [InlineData("batch_size: 32, grpo: {num_generations: 5}", "train.grpo.num_generations",
        "5 completions per prompt must divide train.batch_size 32 (it counts completions: prompts per step x num_generations)")]
    [InlineData("grpo: {num_generations: 1}", "train.grpo.num_generations", "must be >= 2")]
    [InlineData("grpo: {loss_type: bnpo}", "train.grpo.loss_type", "grpo, dr_grpo, dapo")]
    [InlineData("grpo: {scale_rewards: std}", "train.grpo.scale_rewards", "group, batch, none")]
    [InlineData("grpo: {reward_funcs: {corectness: 1}}", "train.grpo.reward_funcs.corectness", "did you mean `correctness`?")]
    [InlineData("grpo: {reward_funcs: {}}", "train.grpo.reward_funcs", "names no reward function")]
    [InlineData("grpo: {max_kl: 0.1}", "train.grpo.max_kl", "needs beta > 0")]
    public void A_grpo_value_that_cannot_run_is_refused_at_its_key(string section, string keyPath, string expected)
    {
        var error = Single(_folder.Errors(Tasks + $"train: {{stage: grpo, {section}}}\n"), keyPath);

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_spec_without_the_new_keys_hashes_as_before_they_existed()
    {
        // Given configs/mnist-mlp.yaml as it reads today
        var spec = _folder.Load("""
            name: mnist-mlp
            seed: 1337
            data:
              dataset: mnist
              split: {val: 0.1, test: official}
            model:
              kind: mlp
              hidden: [200, 100, 75]
              activation: relu
            train:
              stage: supervised
              optimizer: {name: adam, lr: 1.0e-3}
              batch_size: 128
              epochs: 5
              log_every: 50
              eval: {every: 200}
            """);

        // Then its document has no task or stage section, and its config_hash is the one its runs were stored under
        var json = SpecJson.Canonical(spec);
        Assert.All(new[] { "\"tasks\"", "\"hardness\"", "\"sft\"", "\"reward\"", "\"dpo\"", "\"grpo\"" }, key => Assert.DoesNotContain(key, json));
        Assert.Equal("c00107d619d7fc5c5c8223e5641cc907d90e7efffb1f03eaeebc29d8e5b7e5f5", SpecJson.ConfigHash(spec));
    }
}
