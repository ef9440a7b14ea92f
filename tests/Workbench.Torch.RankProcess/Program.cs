// Test helper process: rank 1 of a two-rank Gloo group on 127.0.0.1:PORT, playing one SCENARIO
// against the test process (rank 0), which checks both sides' results.
//   collectives   the same all-reduces, gradient average and broadcast as rank 0, printing its results
//   reducer       the same gradient reducer steps as rank 0, printing its checks
//   exit          forms the group, then exits without a word (a rank that died)
//   hang          forms the group, then sleeps past any timeout (a rank that hung)
//   Workbench.Torch.RankProcess SCENARIO PORT
using System.Globalization;
using Workbench.Torch;
using Workbench.Torch.Distributed;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Workbench.Torch.RankProcess SCENARIO PORT");
    return 2;
}
var port = int.Parse(args[1], CultureInfo.InvariantCulture);
var timeout = TimeSpan.FromSeconds(30);
using var store = RendezvousStore.Connect("127.0.0.1", port, world: 2, rank: 1, timeout);
using var group = ProcessGroup.Create(store, DistributedBackend.Gloo, rank: 1, worldSize: 2, timeout, "127.0.0.1");
switch (args[0])
{
    case "collectives":
        foreach (var line in Workbench.Torch.RankProcess.Scenario.Collectives(group)) Console.WriteLine(line);
        return 0;
    case "reducer":
        foreach (var line in Workbench.Torch.RankProcess.Scenario.Reducer(group)) Console.WriteLine(line);
        return 0;
    case "exit":
        Environment.Exit(0);
        return 0;
    case "hang":
        Thread.Sleep(TimeSpan.FromMinutes(5));
        return 0;
    default:
        Console.Error.WriteLine($"unknown scenario '{args[0]}'");
        return 2;
}
