// Where one rank of a data-parallel run stands: its rank among all, the world size, the master it meets
// the others at and how long it waits for them. `workbench run --nproc N` starts each rank as a process
// of its own and hands it this through the environment, as torchrun does with RANK and WORLD_SIZE.
using System.Globalization;

namespace Workbench.Experiments.Training;

/// <param name="Rank">0 .. WorldSize - 1; rank 0 writes the run.</param>
/// <param name="LocalRank">The rank on this machine (its CUDA device on a GPU box).</param>
/// <param name="Nodes">Machines taking part (--nnodes).</param>
/// <param name="Timeout">How long a rendezvous or a collective waits for the other ranks before it fails.</param>
public sealed record ParallelLaunch(int Rank, int LocalRank, int WorldSize, int Nodes, string MasterHost, int MasterPort, TimeSpan Timeout)
{
    /// <summary>A rank or collective waits this long for the others unless --timeout says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    private const string Variable = "WORKBENCH_PARALLEL";

    public bool IsLeader => Rank == 0;

    /// <summary>The environment variable and value that make a process this rank.</summary>
    public KeyValuePair<string, string> ToEnvironment() => new(Variable, string.Join(',',
        Rank.ToString(CultureInfo.InvariantCulture), LocalRank.ToString(CultureInfo.InvariantCulture),
        WorldSize.ToString(CultureInfo.InvariantCulture), Nodes.ToString(CultureInfo.InvariantCulture),
        MasterHost, MasterPort.ToString(CultureInfo.InvariantCulture),
        ((long)Timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)));

    /// <summary>This process's launch, when a launcher started it as one rank of several; else null.</summary>
    public static ParallelLaunch? FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } value) return null;
        var f = value.Split(',');
        if (f.Length != 7) throw new InvalidOperationException($"{Variable}='{value}' is not what the launcher writes");
        int Int(int i) => int.Parse(f[i], CultureInfo.InvariantCulture);
        return new ParallelLaunch(Int(0), Int(1), Int(2), Int(3), f[4], Int(5),
            TimeSpan.FromMilliseconds(long.Parse(f[6], CultureInfo.InvariantCulture)));
    }
}
