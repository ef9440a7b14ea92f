// End-to-end: `workbench run` and `validate` given a pipeline file of two small xor stages, the second
// started from the first: the ids on stdout, reuse, an edited stage rerun alone, Ctrl-C and the same
// command again, the runs' lineage in ls and show, and bad pipeline files refused with nothing written.
using System.Text.Json;

namespace Workbench.Cli.Tests;

public sealed class PipelineTests : IDisposable
{
    private const string Xor = """
        name: xor
        seed: 1
        device: cpu
        threads: 1
        data: {dataset: xor}
        model: {kind: perceptron, hidden: 2, activation: sigmoid}
        train:
          optimizer: {name: sgd, lr: 1.0}
          batch_size: 4
          epochs: 300
          log_every: 100
          eval: {every: 100}
          checkpoint: {every: 500, keep: 2}
        """;

    private const string Pipeline = """
        name: chain
        seeds: [1, 2]
        stages:
          a:
            spec: specs/xor.yaml
          b:
            spec: specs/xor.yaml
            set: {train.init_from: {stage: a}, train.epochs: 100}
        """;

    private readonly CliRunner _cli = new();

    public PipelineTests() => _cli.Write("specs/xor.yaml", Xor);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void A_pipeline_prints_each_stage_run_in_order_and_its_second_run_reuses_them()
    {
        // Given a two-stage pipeline with two seeds
        var path = _cli.Write("pipeline.yaml", Pipeline);

        // When it runs, and runs again
        var run = _cli.Run("run", path);
        var again = _cli.Run("run", path);

        // Then it printed four run ids, seed by seed, the last stage of the last seed last
        Assert.True(run.ExitCode == 0, run.Stderr);
        var ids = Lines(run.Stdout);
        Assert.Equal(4, ids.Length);
        var shown = ids.Select(_cli.Show).ToList();
        Assert.Equal(["chain-a", "chain-b", "chain-a", "chain-b"], shown.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal([1L, 1L, 2L, 2L], shown.Select(s => s.GetProperty("seed").GetInt64()));
        Assert.Equal((ids[0], ids[2]), (shown[1].GetProperty("init_from").GetString(), shown[3].GetProperty("init_from").GetString()));
        Assert.All(shown, s => Assert.Contains("pipeline:chain", s.GetProperty("tags").EnumerateArray().Select(t => t.GetString())));
        // ls shows each run's stage and the run it started from
        var listed = JsonDocument.Parse(_cli.Run("ls", "--json").Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(ids.Order(), listed.Select(r => r.GetProperty("id").GetString()!).Order());
        Assert.All(listed, r => Assert.Equal("supervised", r.GetProperty("stage").GetString()));
        Assert.Equal(ids[0], listed.Single(r => r.GetProperty("id").GetString() == ids[1]).GetProperty("parent").GetString());
        Assert.Contains(ids[0], _cli.Run("show", ids[1]).Stdout);
        // The pipeline report's path is on stderr and it shows the chain
        var report = run.Stderr.Split('\n').Last(l => l.StartsWith("report: ", StringComparison.Ordinal))["report: ".Length..].Trim();
        Assert.EndsWith("pipeline-chain.html", report);
        Assert.All(ids, id => Assert.Contains(id, File.ReadAllText(report)));
        // The second run trained nothing: the same ids, no new runs
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(ids, Lines(again.Stdout));
        Assert.Equal(4, JsonDocument.Parse(_cli.Run("ls", "--json").Stdout).RootElement.GetArrayLength());
    }

    [Fact]
    public void Editing_one_stage_reruns_that_stage_alone()
    {
        var path = _cli.Write("pipeline.yaml", Pipeline);
        var before = Lines(_cli.Run("run", path).Stdout);

        var edited = _cli.Run("run", _cli.Write("pipeline.yaml", Pipeline.Replace("train.epochs: 100", "train.epochs: 120")));

        Assert.True(edited.ExitCode == 0, edited.Stderr);
        var after = Lines(edited.Stdout);
        Assert.Equal((before[0], before[2]), (after[0], after[2]));
        Assert.DoesNotContain(after[1], before);
        Assert.DoesNotContain(after[3], before);
        Assert.Equal(6, JsonDocument.Parse(_cli.Run("ls", "--json").Stdout).RootElement.GetArrayLength());
    }

    [Fact]
    public void Ctrl_c_mid_pipeline_exits_130_and_the_same_command_resumes_where_it_stopped()
    {
        // Given a one-seed pipeline whose second stage is long, interrupted once that stage has written a checkpoint
        var path = _cli.Write("pipeline.yaml", Pipeline.Replace("seeds: [1, 2]", "seeds: [1]").Replace("train.epochs: 100", "train.epochs: 10000"));
        using var process = _cli.Start("run", path);
        var runs = Path.Combine(_cli.Directory, "runs");
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!SecondStageCheckpointed(runs) && DateTime.UtcNow < deadline) Thread.Sleep(20);
        System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString()])!.WaitForExit();
        var interrupted = CliRunner.Wait(process);

        // When the same command runs again
        var resumed = _cli.Run("run", path);

        // Then the first stopped with 130 after both stages' ids, and the second resumed the killed run to the end
        Assert.True(interrupted.ExitCode == 130, interrupted.Stderr);
        var stopped = Lines(interrupted.Stdout);
        Assert.Equal(2, stopped.Length);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(stopped, Lines(resumed.Stdout));
        Assert.Contains($"resuming killed run {stopped[1]}", resumed.Stderr);
        Assert.Equal("finished", _cli.Show(stopped[1]).GetProperty("status").GetString());
        Assert.Equal(2, JsonDocument.Parse(_cli.Run("ls", "--json").Stdout).RootElement.GetArrayLength());
    }

    [Theory]
    [InlineData("name: chain\nstages:\n  a:\n    spec: specs/xor.yaml\n    set: {train.init_from: {stage: b}}\n  b: {spec: specs/xor.yaml}\n",
                "pipeline.yaml:5:", "stage `b` does not run before `a`")]
    [InlineData("name: chain\nstages:\n  a: {spec: specs/bad.yaml}\n", "bad.yaml:3:", "train.optimizer.lr")]
    [InlineData("name: chain\nseeds: [1, one]\nstages:\n  a: {spec: specs/xor.yaml}\n", "pipeline.yaml:2:", "seeds[1]")]
    [InlineData("name: chain\nstagez: {}\nstages:\n  a: {spec: specs/xor.yaml}\n", "pipeline.yaml:2:", "did you mean `stages`?")]
    public void A_bad_pipeline_exits_2_naming_file_and_line_and_writes_nothing(string yaml, string where, string expected)
    {
        _cli.Write("specs/bad.yaml", "name: bad\ntrain:\n  optimizer: {lr: -1}\n");
        var path = _cli.Write("pipeline.yaml", yaml);

        var run = _cli.Run("run", path);
        var validate = _cli.Run("validate", path);

        _cli.AssertRefusedWithNothingWritten(run, 2, where, expected);
        _cli.AssertRefusedWithNothingWritten(validate, 2, where, expected);
    }

    [Fact]
    public void Validate_prints_one_ok_line_per_stage_and_writes_nothing()
    {
        var path = _cli.Write("pipeline.yaml", Pipeline);

        var validate = _cli.Run("validate", path);

        Assert.True(validate.ExitCode == 0, validate.Stderr);
        Assert.Equal([$"{path}: stage a ok (chain-a, perceptron on xor, stage supervised, seeds 1, 2)",
                      $"{path}: stage b ok (chain-b, perceptron on xor, stage supervised, from stage a, seeds 1, 2)"], Lines(validate.Stdout));
        Assert.False(File.Exists(_cli.Db));
    }

    // Stage a's run folder has its final weights before stage b's folder exists; b's has a step checkpoint and no final.
    private static bool SecondStageCheckpointed(string runs) =>
        Directory.Exists(runs) && Directory.EnumerateDirectories(runs, "????????").Count() >= 2
        && Directory.EnumerateDirectories(runs, "????????").Any(d => !Directory.Exists(Path.Combine(d, "checkpoints", "final"))
                                                                 && Directory.EnumerateDirectories(d, "step-*", SearchOption.AllDirectories).Any());


    private static string[] Lines(string stdout) => stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
