// End-to-end: `workbench run --nproc 2` on real MNIST (two processes of one thread over Gloo on
// 127.0.0.1) is one run with one process's loss series and checkpoint; a rank killed mid-run fails the
// run, naming it, and resume finishes it; a rank that hangs fails it after --timeout and is killed; Ctrl-C stops every rank with one checkpoint; a spec the ranks
// cannot split, nodes that disagree and a master port in use are refused with nothing written.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Workbench.Torch;
using Workbench.Torch.Distributed;

namespace Workbench.Cli.Tests;

public sealed class ParallelRunTests : IDisposable
{
    // HardKillTests' small MNIST MLP: 300 steps of a global batch of 64, checkpoints every 50.
    private const string Mnist = """
        name: mnist-ddp
        seed: 11
        device: cpu
        threads: 1
        data: {dataset: mnist, split: {val: 0.1}}
        model: {kind: mlp, hidden: [64], activation: relu}
        train:
          optimizer: {name: adam, lr: 1.0e-3}
          batch_size: 64
          max_steps: 300
          log_every: 10
          eval: {every: 100, batches: 8}
          checkpoint: {every: 50, keep: 2}
        """;

    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [SkippableFact]
    public void Two_ranks_give_the_loss_series_and_checkpoint_of_one_process_with_the_same_global_batch()
    {
        SkipWithoutGloo();
        var config = _cli.Write("mnist.yaml", Mnist);

        var single = _cli.Run("run", config, "--name", "single");
        var parallel = _cli.Run("run", config, "--name", "parallel", "--nproc", "2");

        Assert.True(single.ExitCode == 0, single.Stderr);
        Assert.True(parallel.ExitCode == 0, parallel.Stderr);
        var id = parallel.LastLine;
        Assert.Matches("^[a-z0-9]{8}$", id);
        Assert.Equal(2, JsonDocument.Parse(_cli.Run("ls", "--json").Stdout).RootElement.GetArrayLength());   // one run, not two
        Assert.Contains("parallel 2 ranks (gloo) on 1 node", _cli.Run("show", id).Stdout);
        foreach (var key in new[] { "train/loss", "val/loss", "val/acc" })
        {
            var (expectedSteps, expected) = _cli.Series(single.LastLine, key);
            var (steps, actual) = _cli.Series(id, key);
            Assert.Equal(expectedSteps, steps);
            // Each rank's mean over half the batch, averaged: float32 rounding apart, the one-process loss.
            for (var i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 + 1e-4 * Math.Abs(expected[i]), $"{key} at step {steps[i]}: {actual[i]} vs {expected[i]}");
        }
        using var scope = TensorScope.Begin();
        var expectedWeights = FinalWeights(single.LastLine);
        var weights = FinalWeights(id);
        Assert.Equal(expectedWeights.Keys.Order(), weights.Keys.Order());
        foreach (var (name, tensor) in expectedWeights)
        {
            var a = tensor.ToArray<float>();
            var b = weights[name].ToArray<float>();
            var worst = a.Zip(b, (x, y) => Math.Abs(x - y) - 1e-4 * Math.Abs(x)).Max();
            Assert.True(worst <= 1e-4, $"{name} differs by up to {worst} from the one-process run's");
        }
    }

    [SkippableFact]
    public void A_rank_killed_mid_run_fails_the_run_naming_it_and_resume_in_one_process_finishes_it()
    {
        SkipWithoutGloo();
        var config = _cli.Write("mnist.yaml", Mnist.Replace("max_steps: 300", "max_steps: 2000"));
        var id = KillRankOneMidRun(_cli, config, pastStep: 50);

        var resumed = _cli.Run("resume", id);

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal("finished", _cli.Show(id).GetProperty("status").GetString());
        Assert.Equal([2000.0], _cli.Series(id, "train/loss").Steps[^1..]);
    }

    [SkippableFact]
    public void A_rank_that_hangs_fails_the_run_after_the_timeout_and_is_killed()
    {
        SkipWithoutGloo();
        var config = _cli.Write("mnist.yaml", Mnist.Replace("max_steps: 300", "max_steps: 100000"));
        using var launcher = _cli.Start("run", config, "--nproc", "2", "--timeout", "5");
        var stdout = launcher.StandardOutput.ReadToEndAsync();
        var stderr = launcher.StandardError.ReadToEndAsync();
        var checkpoints = HardKillTests.WaitForCheckpointPast(Path.Combine(_cli.Directory, "runs"), exceptRun: "", step: 50, launcher);
        var hung = RankPid(launcher.Id, rank: 1);

        Process.Start("kill", ["-STOP", hung.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        launcher.WaitForExit();

        var log = stderr.Result;
        Assert.True(launcher.ExitCode == 1, $"exit {launcher.ExitCode}: {log}");
        Assert.Contains("rank 1 on", log);
        var id = Path.GetFileName(Path.GetDirectoryName(checkpoints)!);
        Assert.Equal(id, stdout.Result.Trim());
        var show = _cli.Show(id);
        Assert.Equal("failed", show.GetProperty("status").GetString());
        Assert.Contains("rank 0 on", show.GetProperty("error").GetString());
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(hung));   // killed, not left behind
    }

    [SkippableFact]
    public void Ctrl_c_on_the_launcher_stops_every_rank_with_one_checkpoint_and_resume_with_two_ranks_finishes()
    {
        SkipWithoutGloo();
        var config = _cli.Write("mnist.yaml", Mnist.Replace("max_steps: 300", "max_steps: 2000"));
        using var launcher = _cli.Start("run", config, "--nproc", "2");
        var stdout = launcher.StandardOutput.ReadToEndAsync();
        var stderr = launcher.StandardError.ReadToEndAsync();
        var checkpoints = HardKillTests.WaitForCheckpointPast(Path.Combine(_cli.Directory, "runs"), exceptRun: "", step: 50, launcher);

        Process.Start("kill", ["-INT", launcher.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        launcher.WaitForExit();

        Assert.True(launcher.ExitCode == 130, $"exit {launcher.ExitCode}: {stderr.Result}");
        var id = stdout.Result.Trim();
        Assert.Equal(Path.GetFileName(Path.GetDirectoryName(checkpoints)!), id);
        Assert.Equal("killed", _cli.Show(id).GetProperty("status").GetString());

        var resumed = _cli.Run("resume", id, "--nproc", "2");

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(id, resumed.LastLine);
        Assert.Equal("finished", _cli.Show(id).GetProperty("status").GetString());
    }

    [Fact]
    public void A_global_batch_the_ranks_cannot_split_is_refused_naming_both_numbers()
    {
        var config = _cli.Write("mnist.yaml", Mnist);

        var result = _cli.Run("run", config, "--nproc", "3");

        _cli.AssertRefusedWithNothingWritten(result, 2, "train.batch_size 64 (the global batch) does not divide among 3 ranks");
    }

    [SkippableFact]
    public void Nodes_that_run_different_specs_are_refused_at_the_rendezvous_with_nothing_written()
    {
        SkipWithoutGloo();
        var config = _cli.Write("mnist.yaml", Mnist);
        var master = $"127.0.0.1:{FreePort()}";
        string[] Node(int rank) => ["run", config, "--nproc", "1", "--nnodes", "2", "--node-rank", $"{rank}", "--master", master, "--timeout", "30"];

        using var node0 = _cli.Start(Node(0));
        using var node1 = _cli.Start([.. Node(1), "--set", "train.optimizer.lr=0.01"]);
        var results = new[] { CliRunner.Wait(node0), CliRunner.Wait(node1) };

        foreach (var result in results) _cli.AssertRefusedWithNothingWritten(result, 2, "the spec differs between ranks");
    }

    [SkippableFact]
    public void A_bucket_size_that_is_not_a_positive_number_is_refused_with_nothing_written()
    {
        SkipWithoutGloo();
        var config = _cli.Write("mnist.yaml", Mnist);
        _cli.Environment["WORKBENCH_GRAD_BUCKET_MB"] = "-4";

        var result = _cli.Run("run", config, "--nproc", "2", "--timeout", "10");

        _cli.AssertRefusedWithNothingWritten(result, 2, "WORKBENCH_GRAD_BUCKET_MB='-4' is not a positive number of megabytes");
    }

    [SkippableFact]
    public void A_master_port_in_use_is_refused_with_nothing_written()
    {
        SkipWithoutGloo();
        var config = _cli.Write("mnist.yaml", Mnist);
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;

            var result = _cli.Run("run", config, "--nproc", "2", "--master", $"127.0.0.1:{port}", "--timeout", "10");

            _cli.AssertRefusedWithNothingWritten(result, 2, $"could not meet the other ranks at 127.0.0.1:{port}");
        }
        finally
        {
            taken.Stop();
        }
    }

    internal static void SkipWithoutGloo() =>
        Skip.IfNot(DistributedBackends.Available.Contains(DistributedBackend.Gloo), "this engine was built without Gloo");

    // The pid of the launcher's child that runs `rank` (its environment says so).
    // Runs the spec on two ranks, kills rank 1 with SIGKILL once a checkpoint past the step exists, and asserts
    // what the user sees: exit 1, the launcher naming rank 1 and its signal, the run id on stdout and the run
    // marked failed with an error naming rank 1. Returns the run's id.
    internal static string KillRankOneMidRun(CliRunner cli, string config, int pastStep)
    {
        using var launcher = cli.Start("run", config, "--nproc", "2", "--timeout", "60");
        var stdout = launcher.StandardOutput.ReadToEndAsync();
        var stderr = launcher.StandardError.ReadToEndAsync();
        var checkpoints = HardKillTests.WaitForCheckpointPast(Path.Combine(cli.Directory, "runs"), exceptRun: "", step: pastStep, launcher);

        Process.GetProcessById(RankPid(launcher.Id, rank: 1)).Kill();
        launcher.WaitForExit();

        var log = stderr.Result;
        Assert.True(launcher.ExitCode == 1, $"exit {launcher.ExitCode}: {log}");
        Assert.Contains("rank 1 on", log);
        Assert.Contains("was killed by signal 9", log);
        var id = Path.GetFileName(Path.GetDirectoryName(checkpoints)!);
        Assert.Equal(id, stdout.Result.Trim());
        var show = cli.Show(id);
        Assert.Equal("failed", show.GetProperty("status").GetString());
        var error = show.GetProperty("error").GetString()!;
        Assert.True(error.Contains("rank 1 on", StringComparison.Ordinal), error);
        return id;
    }

    internal static int RankPid(int launcher, int rank)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsDigit)))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                if (parent == launcher && File.ReadAllText(Path.Combine(dir, "environ")).Contains($"WORKBENCH_PARALLEL={rank},"))
                    return int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }
        throw new InvalidOperationException($"no rank {rank} among the children of {launcher}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }



    private Dictionary<string, Tensor> FinalWeights(string run) =>
        SafeTensors.Load(Path.Combine(_cli.Show(run).GetProperty("run_dir").GetString()!, "checkpoints", "final", "model.safetensors"));
}
