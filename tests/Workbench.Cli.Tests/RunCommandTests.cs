// End-to-end: the CLI trains small real specs and records them as docs/design.md's contract says.
using System.Text.Json;

namespace Workbench.Cli.Tests;

public sealed class RunCommandTests : IDisposable
{
    private const string Xor = """
        name: xor
        seed: 1
        device: cpu
        data: {dataset: xor}
        model: {kind: perceptron, hidden: 2, activation: sigmoid}
        train:
          optimizer: {name: sgd, lr: 1.0}
          batch_size: 4
          epochs: 2000
          log_every: 100
          eval: {every: 500}
          checkpoint: {every: 500, keep: 2}
        """;

    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void A_run_prints_its_id_last_and_records_a_finished_run_with_summary_and_report()
    {
        var config = _cli.Write("xor.yaml", Xor);

        var run = _cli.Run("run", config);

        Assert.Equal(0, run.ExitCode);
        var id = run.LastLine;
        Assert.Matches("^[a-z0-9]{8}$", id);
        var show = JsonDocument.Parse(_cli.Run("show", id, "--json").Stdout).RootElement;
        Assert.Equal("finished", show.GetProperty("status").GetString());
        Assert.Equal(1.0, show.GetProperty("summary").GetProperty("test/acc").GetDouble());
        Assert.True(show.GetProperty("summary").GetProperty("step_ms").GetDouble() > 0);
        Assert.Equal(64, show.GetProperty("config_hash").GetString()!.Length);
        Assert.Matches("^[0-9a-f]{64}$", show.GetProperty("dataset_hashes").GetProperty("xor").GetString());
        var runDir = show.GetProperty("run_dir").GetString()!;
        Assert.True(File.Exists(Path.Combine(runDir, "config.yaml")));
        Assert.True(File.Exists(Path.Combine(runDir, "report.html")));
        Assert.True(Directory.Exists(Path.Combine(runDir, "checkpoints", "final")));
        Assert.True(Directory.Exists(Path.Combine(runDir, "checkpoints", "best")));
    }

    [Fact]
    public void Two_runs_with_one_seed_give_identical_metric_series()
    {
        var config = _cli.Write("xor.yaml", Xor);

        var a = _cli.Run("run", config).LastLine;
        var b = _cli.Run("run", config).LastLine;

        Assert.Equal(_cli.Series(a, "train/loss").Values, _cli.Series(b, "train/loss").Values);
        Assert.Equal(_cli.Series(a, "val/loss").Values, _cli.Series(b, "val/loss").Values);
        var rerun = _cli.Run("rerun", a, "--verify");
        Assert.Equal(0, rerun.ExitCode);
        var show = JsonDocument.Parse(_cli.Run("show", rerun.LastLine, "--json").Stdout).RootElement;
        Assert.Equal((a, a), (show.GetProperty("rerun_of").GetString(), show.GetProperty("parent").GetString()));
        Assert.Equal(JsonValueKind.Null, show.GetProperty("init_from").ValueKind);
        var listed = JsonDocument.Parse(_cli.Run("ls", "--json").Stdout).RootElement;
        Assert.All(listed.EnumerateArray(), run => Assert.Equal("supervised", run.GetProperty("stage").GetString()));
    }

    [Fact]
    public void Ctrl_c_marks_the_run_killed_and_resume_ends_with_the_uninterrupted_metrics()
    {
        var config = _cli.Write("long.yaml", Xor.Replace("epochs: 2000", "epochs: 100000").Replace("every: 500, keep", "every: 2000, keep"));
        var reference = _cli.Run("run", config, "--name", "reference").LastLine;
        var runs = Path.Combine(_cli.Directory, "runs");
        var referenceDir = Path.Combine(runs, reference);

        // Interrupt once the second run has written its first checkpoint, so Ctrl-C lands mid-training.
        using var process = _cli.Start("run", config, "--name", "interrupted");
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!Directory.EnumerateDirectories(runs, "step-*", SearchOption.AllDirectories).Any(d => !d.StartsWith(referenceDir, StringComparison.Ordinal))
               && DateTime.UtcNow < deadline)
            Thread.Sleep(20);
        System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString()])!.WaitForExit();
        var interrupted = CliRunner.Wait(process);

        Assert.Equal(130, interrupted.ExitCode);
        var id = interrupted.LastLine;
        Assert.Equal("killed", JsonDocument.Parse(_cli.Run("show", id, "--json").Stdout).RootElement.GetProperty("status").GetString());
        var resumed = _cli.Run("resume", id);
        Assert.Equal(0, resumed.ExitCode);
        Assert.Equal(_cli.Series(reference, "train/loss").Values, _cli.Series(id, "train/loss").Values);
        Assert.Equal(_cli.Series(reference, "val/loss").Values, _cli.Series(id, "val/loss").Values);
    }

    [Theory]
    [InlineData("name: x\ndata: {dataset: mnist}\nmodel: {kind: mlp, hiden: [10]}\n", "model.hiden")]
    [InlineData("name: x\ndata: {dataset: mnist}\ntrain: {optimizer: {name: adam, lr: -1}}\n", "train.optimizer.lr")]
    [InlineData("name: x\ndata: {dataset: imagenet}\n", "data.dataset")]
    [InlineData("data: {dataset: xor}\n", "name")]
    [InlineData("name: x\nname: y\n", "name")]
    [InlineData("name: x\ntrain: {batch_size: zero}\n", "train.batch_size")]
    [InlineData("- just\n- a list\n", "mapping")]
    [InlineData("name: x\ndata: {dataset: xor}\nmodel: {kind: perceptron}\nmetric: {name: reward}\n", "does not evaluate `reward`")]
    [InlineData("name: x\ndata: {dataset: xor}\nmodel: {kind: perceptron}\nmetric: {name: val/accuracy}\n", "did you mean `val/acc`?")]
    public void A_malformed_spec_exits_2_naming_the_key_and_writes_nothing(string spec, string expected)
    {
        var config = _cli.Write("bad.yaml", spec);

        var run = _cli.Run("run", config);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr);
        Assert.Contains("bad.yaml", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.Equal("", run.Stdout);
        Assert.False(File.Exists(_cli.Db));
    }

    [Fact]
    public void An_unknown_run_or_a_bad_argument_exits_2()
    {
        _cli.Run("run", _cli.Write("xor.yaml", Xor));

        Assert.Equal(2, _cli.Run("show", "nosuchrun").ExitCode);
        Assert.Equal(2, _cli.Run("run").ExitCode);
        Assert.Equal(2, _cli.Run("ls", "--status", "sleeping").ExitCode);
        Assert.Equal(2, _cli.Run("run", "missing.yaml").ExitCode);
    }

    [Theory]
    [InlineData("--tokens", "99999999999", "a whole number up to 2147483647")]
    [InlineData("--temperature", "warm", "a number")]
    public void A_number_option_given_something_else_says_in_words_what_it_expects(string option, string value, string expected)
    {
        var result = _cli.Run("sample", "anyrun", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"for option '{option}' as expected type {expected}", result.Stderr);
        Assert.DoesNotContain("System.", result.Stderr);
    }

    [Fact]
    public void A_run_starts_from_its_parents_weights_and_weights_of_another_shape_are_refused_before_it_exists()
    {
        var config = _cli.Write("xor.yaml", Xor);
        var parent = _cli.Run("run", config, "--name", "parent").LastLine;

        var child = _cli.Run("run", config, "--name", "child", "--set", "train.init_from=parent", "--set", "train.epochs=1");
        var wider = _cli.Run("run", config, "--name", "wider", "--set", "train.init_from=parent", "--set", "model.hidden=3");

        Assert.True(child.ExitCode == 0, child.Stderr);
        var show = JsonDocument.Parse(_cli.Run("show", child.LastLine, "--json").Stdout).RootElement;
        Assert.Equal(parent, show.GetProperty("parent").GetString());
        Assert.Equal(parent, show.GetProperty("init_from").GetString());
        // The stored spec pins the reference ("parent", a name) to the run it resolved to.
        Assert.Equal(parent, show.GetProperty("config").GetProperty("train").GetProperty("init_from").GetString());
        Assert.Equal(JsonValueKind.Null, show.GetProperty("rerun_of").ValueKind);
        Assert.Equal("supervised", show.GetProperty("stage").GetString());
        Assert.Equal(1.0, show.GetProperty("summary").GetProperty("val/acc").GetDouble());   // one epoch on learned weights
        Assert.Equal(2, wider.ExitCode);
        Assert.Contains("train.init_from: those weights do not fit this spec's model", wider.Stderr);
        Assert.DoesNotContain("   at ", wider.Stderr);
        Assert.DoesNotContain("wider", _cli.Run("ls", "--json").Stdout);
    }

    [Fact]
    public void Ls_json_lists_runs_with_the_contract_fields()
    {
        var id = _cli.Run("run", _cli.Write("xor.yaml", Xor)).LastLine;

        var runs = JsonDocument.Parse(_cli.Run("ls", "--json").Stdout).RootElement;

        var run = Assert.Single(runs.EnumerateArray());
        Assert.Equal(id, run.GetProperty("id").GetString());
        Assert.Equal("xor", run.GetProperty("name").GetString());
        Assert.Equal("finished", run.GetProperty("status").GetString());
        Assert.True(run.TryGetProperty("started_at", out _));
    }

}
