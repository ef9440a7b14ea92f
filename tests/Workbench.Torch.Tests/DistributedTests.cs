// Data-parallel collectives between this test process (rank 0) and a second process
// (tests/Workbench.Torch.RankProcess, rank 1) over a Gloo group on 127.0.0.1, and how the rendezvous
// and the collectives fail: a port in use, no master, a missing rank, a rank that exits or hangs.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Workbench.Torch.Distributed;
using Workbench.Torch.RankProcess;

namespace Workbench.Torch.Tests;

public sealed class DistributedTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public void Two_processes_sum_average_bucket_and_broadcast_alike() =>
        BothRanksSee("collectives", Scenario.Collectives, Scenario.Expected);

    [SkippableFact]
    public void The_gradient_reducer_leaves_the_mean_of_both_ranks_gradients_across_buckets_unused_parameters_and_accumulation() =>
        BothRanksSee("reducer", Scenario.Reducer, Scenario.ReducerExpected);

    // Runs `scenario` here as rank 0 and in the rank process as rank 1; both must report `expected`,
    // and this process must hold no more tensors than before.
    private static void BothRanksSee(string name, Func<ProcessGroup, IEnumerable<string>> scenario, string[] expected)
    {
        SkipWithoutGloo();
        var port = FreePort();
        using var peer = StartRank1(name, port);
        var before = TensorCensus.Take();

        string[] mine;
        using (var store = RendezvousStore.Connect("127.0.0.1", port, world: 2, rank: 0, Timeout))
        using (var group = ProcessGroup.Create(store, DistributedBackend.Gloo, rank: 0, worldSize: 2, Timeout, "127.0.0.1"))
        {
            mine = scenario(group).ToArray();
        }

        var theirs = peer.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        peer.WaitForExit();
        Assert.True(peer.ExitCode == 0, peer.StandardError.ReadToEnd());
        Assert.Equal(expected, mine);
        Assert.Equal(expected, theirs);
        Assert.Equal(before, TensorCensus.Take());
    }

    [SkippableFact]
    public void A_rank_that_exits_makes_the_gradient_reducer_fail_with_a_distributed_error()
    {
        SkipWithoutGloo();
        var port = FreePort();
        using var peer = StartRank1("exit", port);
        using var store = RendezvousStore.Connect("127.0.0.1", port, world: 2, rank: 0, Timeout);
        using var group = ProcessGroup.Create(store, DistributedBackend.Gloo, rank: 0, worldSize: 2, Timeout, "127.0.0.1");
        peer.WaitForExit();
        using var scope = TensorScope.Begin();
        var weight = Tensor.Ones([3]);
        weight.RequiresGrad = true;
        using var reducer = GradientReducer.Create(group, [weight]);

        reducer.Prepare(reduce: true);
        (weight * 2).Sum().Backward();
        var error = Assert.Throws<DistributedException>(reducer.Finish);

        Assert.StartsWith("all_reduce gradients: all-reduce:", error.Message);
    }

    [SkippableFact]
    public void Finishing_a_reducer_not_prepared_to_reduce_or_hooking_a_computed_tensor_is_an_argument_error()
    {
        // A world of one: the reducer's checks need no peer.
        SkipWithoutGloo();
        using var store = RendezvousStore.Connect("127.0.0.1", FreePort(), world: 1, rank: 0, Timeout);
        using var group = ProcessGroup.Create(store, DistributedBackend.Gloo, rank: 0, worldSize: 1, Timeout, "127.0.0.1");
        using var scope = TensorScope.Begin();
        var weight = Tensor.Ones([3]);
        weight.RequiresGrad = true;
        using var reducer = GradientReducer.Create(group, [weight]);

        reducer.Prepare(reduce: false);
        (weight * 2).Sum().Backward();
        var error = Assert.Throws<TorchArgumentException>(reducer.Finish);

        Assert.Contains("finish without a reducing backward", error.Message);
        var computed = Assert.Throws<TorchArgumentException>(() => GradientReducer.Create(group, [weight, weight * 2]));
        Assert.Contains("parameter 1 is not a leaf tensor", computed.Message);
    }

    [SkippableFact]
    public void A_rank_that_exits_makes_the_next_all_reduce_fail_with_a_distributed_error()
    {
        SkipWithoutGloo();
        var port = FreePort();
        using var peer = StartRank1("exit", port);
        using var store = RendezvousStore.Connect("127.0.0.1", port, world: 2, rank: 0, Timeout);
        using var group = ProcessGroup.Create(store, DistributedBackend.Gloo, rank: 0, worldSize: 2, Timeout, "127.0.0.1");
        peer.WaitForExit();
        using var scope = TensorScope.Begin();

        var error = Assert.Throws<DistributedException>(() => group.AllReduce(Tensor.Ones([4])));

        Assert.StartsWith("all_reduce: all-reduce:", error.Message);
    }

    [SkippableFact]
    public void A_rank_that_hangs_makes_the_all_reduce_time_out()
    {
        SkipWithoutGloo();
        var port = FreePort();
        using var peer = StartRank1("hang", port);
        try
        {
            using var store = RendezvousStore.Connect("127.0.0.1", port, world: 2, rank: 0, Timeout);
            using var group = ProcessGroup.Create(store, DistributedBackend.Gloo, rank: 0, worldSize: 2, TimeSpan.FromSeconds(2), "127.0.0.1");
            using var scope = TensorScope.Begin();

            var error = Assert.Throws<DistributedException>(() => group.AllReduce(Tensor.Ones([4])));

            Assert.Contains("imed out", error.Message);
        }
        finally
        {
            peer.Kill();
        }
    }

    [SkippableFact]
    public void Serving_the_store_on_a_port_in_use_says_so()
    {
        SkipWithoutGloo();
        var taken = new TcpListener(IPAddress.Any, 0);
        taken.Start();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;

            var error = Assert.Throws<DistributedException>(() =>
                RendezvousStore.Connect("127.0.0.1", port, world: 2, rank: 0, TimeSpan.FromSeconds(2)));

            Assert.Contains($"rendezvous at 127.0.0.1:{port}", error.Message);
        }
        finally
        {
            taken.Stop();
        }
    }

    [SkippableFact]
    public void Joining_a_master_nobody_serves_fails_within_the_timeout()
    {
        SkipWithoutGloo();
        var port = FreePort();

        var error = Assert.Throws<DistributedException>(() =>
            RendezvousStore.Connect("127.0.0.1", port, world: 2, rank: 1, TimeSpan.FromSeconds(2)));

        Assert.Contains($"rendezvous at 127.0.0.1:{port}", error.Message);
    }

    [SkippableFact]
    public void Serving_a_store_no_other_rank_joins_fails_within_the_timeout()
    {
        SkipWithoutGloo();

        var error = Assert.Throws<DistributedException>(() =>
            RendezvousStore.Connect("127.0.0.1", FreePort(), world: 2, rank: 0, TimeSpan.FromSeconds(1)));

        Assert.Contains("only 1 of 2 ranks joined", error.Message);
    }

    [Fact]
    public void A_rank_outside_the_world_is_an_argument_error()
    {
        var error = Assert.Throws<TorchArgumentException>(() =>
            RendezvousStore.Connect("127.0.0.1", 29500, world: 2, rank: 2, TimeSpan.FromSeconds(1)));

        Assert.Contains("rank 2 is outside a world of 2", error.Message);
    }

    private static void SkipWithoutGloo() =>
        Skip.IfNot(DistributedBackends.Available.Contains(DistributedBackend.Gloo), "this engine was built without Gloo");

    // A port nothing listens on right now (the OS's pick, released again).
    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static Process StartRank1(string scenario, int port)
    {
        var helper = Path.Combine(AppContext.BaseDirectory, "Workbench.Torch.RankProcess.dll");
        Assert.True(File.Exists(helper), $"the helper process was not built next to the tests: {helper}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "exec", helper, scenario, port.ToString() }) start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }
}
