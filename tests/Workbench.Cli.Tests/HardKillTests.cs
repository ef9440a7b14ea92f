// End-to-end: a run whose process is killed with SIGKILL (no chance to say so) shows as killed at once,
// and `workbench resume` continues it to the same metric series as a run never interrupted.
using System.Globalization;
using System.Text.Json;

namespace Workbench.Cli.Tests;

public sealed class HardKillTests : IDisposable
{
    // Real MNIST (from the data cache), small: 600 steps of a one-layer MLP on one thread, which keeps
    // the series bitwise reproducible and the test to seconds.
    private const string Mnist = """
        name: mnist-small
        seed: 11
        device: cpu
        threads: 1
        data: {dataset: mnist, split: {val: 0.1}}
        model: {kind: mlp, hidden: [64], activation: relu}
        train:
          optimizer: {name: adam, lr: 1.0e-3}
          batch_size: 64
          max_steps: 600
          log_every: 10
          eval: {every: 100}
          checkpoint: {every: 50, keep: 2}
        """;

    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task A_sigkilled_run_is_killed_at_once_and_resumes_to_the_uninterrupted_series()
    {
        var config = _cli.Write("mnist.yaml", Mnist);
        var reference = _cli.Run("run", config, "--name", "reference");
        Assert.True(reference.ExitCode == 0, reference.Stderr);
        var runs = Path.Combine(_cli.Directory, "runs");

        using var process = _cli.Start("run", config, "--name", "victim");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var checkpoints = WaitForCheckpointPast(runs, exceptRun: reference.LastLine, step: 50, process);   // early: 500 steps of margin before it ends
        process.Kill();
        process.WaitForExit();

        Assert.NotEqual(0, process.ExitCode);
        Assert.Equal("", await stdout);   // it never got to print its id
        var killedLog = await stderr;
        var id = Path.GetFileName(Path.GetDirectoryName(checkpoints)!);
        var listed = JsonDocument.Parse(_cli.Run("ls", "--json").Stdout).RootElement.EnumerateArray()
            .Single(r => r.GetProperty("id").GetString() == id);
        Assert.Equal("killed", listed.GetProperty("status").GetString());
        Assert.Equal("killed", _cli.Show(id).GetProperty("status").GetString());
        Assert.Contains(id, _cli.Run("ls", "--status", "killed", "--json").Stdout);

        var resumed = _cli.Run("resume", id);

        Assert.True(resumed.ExitCode == 0, $"resume exited {resumed.ExitCode}: {resumed.Stderr} (the killed run said: {killedLog})");
        Assert.Equal(id, resumed.LastLine);
        Assert.Equal("finished", _cli.Show(id).GetProperty("status").GetString());
        foreach (var key in new[] { "train/loss", "val/loss", "val/acc" })
        {
            var (expectedSteps, expected) = _cli.Series(reference.LastLine, key);
            var (steps, actual) = _cli.Series(id, key);
            Assert.NotEmpty(steps);
            Assert.Equal(expectedSteps, steps);
            Assert.Equal(expected, actual);
        }
        Assert.Equal(_cli.Show(reference.LastLine).GetProperty("summary").GetProperty("test/acc").GetDouble(),
            _cli.Show(id).GetProperty("summary").GetProperty("test/acc").GetDouble());
    }

    // Polls the runs folder until a run other than the reference has a step checkpoint past `step`;
    // returns that run's checkpoints folder.
    internal static string WaitForCheckpointPast(string runs, string exceptRun, long step, System.Diagnostics.Process process)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(process.HasExited, "the run ended before it could be killed");
            try
            {
                foreach (var folder in Directory.EnumerateDirectories(runs, "step-*", SearchOption.AllDirectories))
                {
                    var checkpoints = Path.GetDirectoryName(folder)!;
                    if (Path.GetFileName(Path.GetDirectoryName(checkpoints)) != exceptRun
                        && long.Parse(Path.GetFileName(folder)["step-".Length..], CultureInfo.InvariantCulture) > step)
                        return checkpoints;
                }
            }
            catch (DirectoryNotFoundException)
            {
                // The run pruned an old checkpoint while we listed it; look again.
            }
            Thread.Sleep(10);
        }
        throw new TimeoutException($"no checkpoint past step {step} appeared under {runs}");
    }
}
