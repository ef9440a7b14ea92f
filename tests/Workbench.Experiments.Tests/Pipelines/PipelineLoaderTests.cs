// Reading a pipeline file: stages in order, spec files relative to the pipeline, inline specs, `set:`,
// {stage: X} references, seeds; and every problem reported with the file and line it is on.
using Workbench.Experiments.Pipelines;
using Workbench.Experiments.Specs;
using Workbench.Experiments.Tests.Specs;

namespace Workbench.Experiments.Tests.Pipelines;

public sealed class PipelineLoaderTests : IDisposable
{
    private const string Base = """
        name: base
        seed: 9
        device: cpu
        data: {dataset: linreg, split: {val: 0.2}}
        model: {kind: linear}
        train:
          optimizer: {name: sgd, lr: 0.05}
          batch_size: 32
          max_steps: 20
        """;

    private readonly SpecFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Stages_keep_their_order_and_take_their_spec_from_a_file_or_inline_with_set_over_it()
    {
        // Given a pipeline in a sub-folder whose first stage names a spec file beside it and whose second is inline
        _folder.Write("exp/specs/base.yaml", Base);
        var path = _folder.Write("exp/chain.yaml", """
            name: chain
            seeds: [1, 2]
            stages:
              warm:
                spec: specs/base.yaml
                set: {train.optimizer.lr: 0.1, train.max_steps: 30}
              tune:
                spec:
                  data: {dataset: linreg, split: {val: 0.2}}
                  model: {kind: linear}
                  train: {init_from: {stage: warm}, max_steps: 10}
            """);

        // When it loads
        var pipeline = PipelineLoader.Load(path);

        // Then the stages are in file order, named <pipeline>-<stage>, with `set` applied and the reference known
        Assert.Equal(["warm", "tune"], pipeline.Stages.Select(s => s.Name));
        Assert.Equal([1L, 2L], pipeline.Seeds);
        var (warm, tune) = (pipeline.Stages[0], pipeline.Stages[1]);
        Assert.Equal("chain-warm", warm.Preview.Name);
        Assert.Equal((0.1, 30), (warm.Preview.Train.Optimizer.Lr, warm.Preview.Train.MaxSteps));
        Assert.Null(warm.InitFromStage);
        Assert.Equal("warm", tune.InitFromStage);
        // Each chain's spec: its seed, and the run the earlier stage produced in it
        var spec = tune.Resolve(2, new Dictionary<string, string> { ["warm"] = "abcd1234" });
        Assert.Equal((2L, "abcd1234", "chain-tune"), (spec.Seed, spec.Train.InitFrom, spec.Name));
    }

    [Fact]
    public void A_ppo_stage_names_its_reward_model_as_an_earlier_stage_and_each_chain_pins_that_stages_run()
    {
        // Given a chain whose ppo stage starts from sft and is rewarded by the reward stage's model
        var path = _folder.Write("rlhf.yaml", """
            name: rlhf
            seeds: [1]
            stages:
              sft:
                spec: {data: {dataset: tasks, tasks: [compare]}, model: {kind: gpt}, train: {stage: sft}}
              reward:
                spec: {data: {dataset: tasks, tasks: [compare]}, model: {kind: gpt}, train: {stage: reward, init_from: {stage: sft}}}
              ppo:
                spec: {data: {dataset: tasks, tasks: [compare]}, model: {kind: gpt}, train: {stage: ppo}}
                set: {train.init_from: {stage: sft}, train.ppo.reward_model: {stage: reward}}
            """);

        // When it loads and the ppo stage resolves for a chain
        var ppo = PipelineLoader.Load(path).Stages[2];
        var spec = ppo.Resolve(1, new Dictionary<string, string> { ["sft"] = "sft00001", ["reward"] = "rew00001" });

        // Then both references name that chain's runs
        Assert.Equal("sft", ppo.InitFromStage);
        Assert.Equal("reward", ppo.Inputs["train.ppo.reward_model"]);
        Assert.Equal(("sft00001", "rew00001"), (spec.Train.InitFrom, ((PpoSpec)spec.Train.Settings!).RewardModel));
    }

    [Fact]
    public void Without_seeds_the_chain_runs_once_with_each_stage_spec_seed()
    {
        _folder.Write("base.yaml", Base);
        var path = _folder.Write("p.yaml", "name: p\nstages:\n  only: {spec: base.yaml}\n");

        var pipeline = PipelineLoader.Load(path);

        Assert.Equal([null], pipeline.Chains);
        Assert.Equal(9, pipeline.Stages[0].Resolve(null, new Dictionary<string, string>()).Seed);
    }

    [Fact]
    public void A_command_line_set_names_the_stage_it_changes()
    {
        _folder.Write("base.yaml", Base);
        var path = _folder.Write("p.yaml", "name: p\nstages:\n  a: {spec: base.yaml}\n  b: {spec: base.yaml}\n");

        var pipeline = PipelineLoader.Load(path, ["b.train.max_steps=7"]);

        Assert.Equal((20, 7), (pipeline.Stages[0].Preview.Train.MaxSteps, pipeline.Stages[1].Preview.Train.MaxSteps));
        var error = Assert.Single(Assert.Throws<SpecException>(() => PipelineLoader.Load(path, ["c.train.max_steps=7"])).Errors);
        Assert.Contains("names a stage first", error.Message);
    }

    [Theory]
    [InlineData("name: p\nstage:\n  a: {spec: base.yaml}\n", "p.yaml", 2, "stage", "did you mean `stages`?")]
    [InlineData("name: p\nseeds: [1, -2]\nstages:\n  a: {spec: base.yaml}\n", "p.yaml", 2, "seeds[1]", ">= 0")]
    [InlineData("name: p\nseeds: [1, 1]\nstages:\n  a: {spec: base.yaml}\n", "p.yaml", 2, "seeds", "lists a seed twice")]
    [InlineData("name: p\nseeds: []\nstages:\n  a: {spec: base.yaml}\n", "p.yaml", 2, "seeds", "at least one")]
    [InlineData("name: p\nstages:\n  a: {spec: nowhere.yaml}\n", "p.yaml", 3, "stages.a.spec", "relative to the pipeline file")]
    [InlineData("name: p\nstages:\n  a: {spec: base.yaml, sets: {}}\n", "p.yaml", 3, "stages.a.sets", "did you mean `set`?")]
    [InlineData("name: p\nstages:\n  a:\n    spec: base.yaml\n    set: {train.batch_size: 0}\n", "p.yaml", 5, "train.batch_size", ">= 1")]
    [InlineData("name: p\nstages:\n  a:\n    spec: base.yaml\n    set: {train.init_from: {stage: b}}\n  b: {spec: base.yaml}\n", "p.yaml", 5, "train.init_from", "does not run before `a`")]
    [InlineData("name: p\nstages:\n  a: {spec: base.yaml}\n  b:\n    spec: base.yaml\n    set: {train.init_from: {stage: aa}}\n", "p.yaml", 6, "train.init_from", "no stage `aa` in this pipeline; did you mean `a`?")]
    [InlineData("name: p\nstages:\n  a: {spec: base.yaml}\n  b:\n    spec: base.yaml\n    set: {train.init_from: {stage: a, seed: 2}}\n", "p.yaml", 6, "train.init_from", "{stage: NAME}")]
    [InlineData("name: p\nseeds: [1]\nstages:\n  a:\n    spec: base.yaml\n    set: {seed: 4}\n", "p.yaml", 6, "stages.a.set.seed", "`seeds:` set each chain's seed")]
    [InlineData("name: p q\nstages:\n  a: {spec: base.yaml}\n", "p.yaml", 1, "name", "letters, digits")]
    [InlineData("name: p\nstages:\n  a: {spec: {extends: base.yaml}}\n", "p.yaml", 3, "stages.a.spec.extends", "cannot extend")]
    [InlineData("name: p\nstages:\n  a: {spec: bad.yaml}\n", "bad.yaml", 3, "train.optimizer.lr", "> 0")]
    [InlineData("name: p\nstages: {}\n", "p.yaml", 2, "stages", "expected a mapping from each stage's name")]
    public void A_bad_pipeline_is_refused_naming_the_file_line_and_key(string yaml, string file, int line, string keyPath, string message)
    {
        // Given a pipeline with one problem, and the spec files it may name (bad.yaml has a bad lr on line 3)
        _folder.Write("base.yaml", Base);
        _folder.Write("bad.yaml", "name: bad\ntrain:\n  optimizer: {lr: -1}\n");
        var path = _folder.Write("p.yaml", yaml);

        // When it loads
        var errors = Assert.Throws<SpecException>(() => PipelineLoader.Load(path)).Errors;

        // Then the problem is reported once, where it is
        var error = Assert.Single(errors, e => e.KeyPath == keyPath);
        Assert.EndsWith(file, error.File);
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_spec_is_not_a_pipeline_and_a_pipeline_is()
    {
        var spec = _folder.Write("base.yaml", Base);
        var pipeline = _folder.Write("p.yaml", "name: p\nstages:\n  a: {spec: base.yaml}\n");

        Assert.False(PipelineLoader.IsPipeline(spec));
        Assert.True(PipelineLoader.IsPipeline(pipeline));
        Assert.False(PipelineLoader.IsPipeline(Path.Combine(_folder.Root, "missing.yaml")));
    }
}
