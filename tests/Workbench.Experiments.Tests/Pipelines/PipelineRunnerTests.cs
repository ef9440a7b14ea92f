// A pipeline as `workbench run` drives it (the pipeline runner, real runs, a real run database) on two
// linreg stages, the second started from the first: each seed's chain, reuse of what did not change,
// and an interrupted pipeline picked up by running it again.
using Workbench.Experiments.Pipelines;
using Workbench.Experiments.Runs;
using Workbench.Experiments.Tests.Specs;
using Workbench.Experiments.Tests.Training;
using Workbench.Tracking;

namespace Workbench.Experiments.Tests.Pipelines;

public sealed class PipelineRunnerTests : IDisposable
{
    private const string Pipeline = """
        name: lr
        seeds: [1, 2]
        stages:
          warm:
            spec: base.yaml
          tune:
            spec: base.yaml
            set: {train.init_from: {stage: warm}, train.optimizer.lr: 0.01}
        """;

    private readonly SpecFolder _folder = new();

    public PipelineRunnerTests()
    {
        _folder.Write("base.yaml", """
            name: base
            device: cpu
            threads: 1
            data: {dataset: linreg, split: {val: 0.2}}
            model: {kind: linear}
            train:
              optimizer: {name: sgd, lr: 0.05}
              batch_size: 32
              max_steps: 60
              log_every: 1
              eval: {every: 10}
              checkpoint: {every: 20, keep: 2}
            """);
    }

    private string Database => Path.Combine(_folder.Root, "runs", "workbench.db");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Each_seed_runs_the_chain_and_a_later_stage_starts_from_its_own_seeds_run()
    {
        // When a two-stage pipeline runs with two seeds
        var outcome = Run(Pipeline);

        // Then four finished runs come chain by chain, named and tagged for the pipeline
        Assert.Equal(RunStatus.Finished, outcome.Status);
        Assert.Equal([("warm", 1L), ("tune", 1L), ("warm", 2L), ("tune", 2L)], outcome.Stages.Select(s => (s.Stage, s.Seed!.Value)));
        using var store = RunStore.Open(Database);
        var runs = outcome.Stages.Select(s => store.Get(s.Run.RunId)).ToList();
        Assert.Equal(["lr-warm", "lr-tune", "lr-warm", "lr-tune"], runs.Select(r => r.Name));
        Assert.All(runs, r => Assert.Equal(RunStatus.Finished, r.Status));
        Assert.All(runs, r => Assert.Contains("pipeline:lr", r.Tags));
        Assert.Equal([1L, 1L, 2L, 2L], runs.Select(r => r.Seed));
        // Each tune run starts from the warm run of its own seed
        Assert.Equal((runs[0].Id, runs[2].Id), (runs[1].InitFromId, runs[3].InitFromId));
        Assert.Null(runs[0].InitFromId);
        // A stage's runs over the seeds are one group, and the two stages are two
        Assert.Equal(runs[0].GroupHash, runs[2].GroupHash);
        Assert.Equal(runs[1].GroupHash, runs[3].GroupHash);
        Assert.NotEqual(runs[0].GroupHash, runs[1].GroupHash);
        // The report shows the chain, every run, and the tune stage against the warm stage over both seeds
        var report = File.ReadAllText(outcome.ReportPath!);
        Assert.All(runs, r => Assert.Contains(r.Id, report));
        Assert.Contains("<b>warm</b> → <b>tune</b> <small>(from warm)</small>", report);
        Assert.Contains("Welch&#39;s t-test", report);
        Assert.Contains("warm: ", report);
    }

    [Fact]
    public void Running_again_reuses_every_run_and_an_edited_stage_alone_runs_again()
    {
        // Given a pipeline that ran once
        var first = Ids(Run(Pipeline));

        // When it runs again unchanged, then with the tune stage's learning rate changed
        var again = Ids(Run(Pipeline));
        var edited = Run(Pipeline.Replace("lr: 0.01", "lr: 0.02"));

        // Then the second run is the first's runs, and the edit reruns tune only, from the same warm runs
        Assert.Equal(first, again);
        var ids = Ids(edited);
        Assert.Equal((first[0], first[2]), (ids[0], ids[2]));
        Assert.DoesNotContain(ids[1], first);
        Assert.DoesNotContain(ids[3], first);
        using var store = RunStore.Open(Database);
        Assert.Equal(6, store.List().Count);
        Assert.Equal(first[0], store.Get(ids[1]).InitFromId);
    }

    [Fact]
    public void An_interrupted_pipeline_stops_and_the_same_pipeline_resumes_where_it_stopped()
    {
        // Given a pipeline interrupted (Ctrl-C) at step 30 of its first stage
        using var interrupt = new CancellationTokenSource();
        var stopped = new PipelineRunner(new CancelAfter(30, interrupt), interrupt.Token).Run(Load(Pipeline), Request);
        Assert.Equal(RunStatus.Killed, stopped.Status);
        var killed = Assert.Single(stopped.Stages).Run.RunId;

        // When it runs again
        var resumed = Run(Pipeline);

        // Then the killed run is resumed rather than started anew, and the rest of the pipeline runs
        Assert.Equal(RunStatus.Finished, resumed.Status);
        Assert.Equal(killed, resumed.Stages[0].Run.RunId);
        using var store = RunStore.Open(Database);
        Assert.Equal(4, store.List().Count);
        Assert.All(store.List(), r => Assert.Equal(RunStatus.Finished, r.Status));
    }

    private RunRequest Request => new(Database, "test");

    private PipelineSpec Load(string yaml) => PipelineLoader.Load(_folder.Write("pipeline.yaml", yaml));

    private PipelineOutcome Run(string yaml) => new PipelineRunner(SilentObserver.Instance, CancellationToken.None).Run(Load(yaml), Request);

    private static List<string> Ids(PipelineOutcome outcome) => outcome.Stages.Select(s => s.Run.RunId).ToList();
}
