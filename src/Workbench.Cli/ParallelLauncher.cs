// `run`/`resume` with `--nproc N [--nnodes M --node-rank R --master HOST:PORT] [--timeout S]`: starts N
// ranks of one data-parallel run as processes of their own on this machine (as torchrun does) and
// watches them. Each rank is this same command, told its rank through the environment
// (ParallelLaunch); rank 0 writes the run and prints its id, the others print only their errors.
//
// Nothing lost: when a rank dies the others fail at their next collective and rank 0 marks the run
// failed; a rank that outlives that by the timeout is killed. When rank 0 itself dies, this launcher
// marks its run failed. Ctrl-C asks every rank to stop (SIGTERM): they agree on the step, rank 0
// checkpoints once and the run is `killed` (exit 130); a second Ctrl-C kills them.
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Workbench.Experiments.Runs;
using Workbench.Experiments.Training;
using Workbench.Tracking;

namespace Workbench.Cli;

internal static class ParallelLauncher
{
    private const int SigTerm = 15;

    private static readonly Option<int?> Nproc = new("--nproc") { Description = "train data parallel on N processes on this machine (Gloo on CPU, NCCL on CUDA)" };
    private static readonly Option<int?> Nnodes = new("--nnodes") { Description = "machines taking part; each runs the same command with its own --node-rank (default 1)" };
    private static readonly Option<int?> NodeRank = new("--node-rank") { Description = "this machine's place among --nnodes, 0 .. M-1; node 0 writes the run (default 0)" };
    private static readonly Option<string?> Master = new("--master") { Description = "HOST:PORT of node 0, where the ranks meet (default: 127.0.0.1 and a free port)" };
    private static readonly Option<int?> Timeout = new("--timeout") { Description = "seconds a rank waits for the others to meet and in each collective (default 300)" };

    /// <summary>A launch this process performs: its ranks, and what each one is told.</summary>
    internal sealed record Plan(int LocalRanks, IReadOnlyList<ParallelLaunch> Ranks);

    public static void AddOptions(Command command)
    {
        foreach (var option in new Option[] { Nproc, Nnodes, NodeRank, Master, Timeout }) command.Options.Add(option);
    }

    /// <summary>This process's rank, when a launcher started it as one; else null.</summary>
    public static ParallelLaunch? CurrentRank => ParallelLaunch.FromEnvironment();

    /// <summary>The ranks to start from the options, or null when the command runs in this one process.</summary>
    public static Plan? PlanOf(ParseResult parse)
    {
        if (CurrentRank != null) return null;
        var nproc = parse.GetValue(Nproc);
        var nnodes = parse.GetValue(Nnodes) ?? 1;
        var nodeRank = parse.GetValue(NodeRank) ?? 0;
        var master = parse.GetValue(Master);
        if (nproc is null)
        {
            if (parse.GetValue(Nnodes) != null || parse.GetValue(NodeRank) != null || master != null || parse.GetValue(Timeout) != null)
                throw new UserError("--nnodes, --node-rank, --master and --timeout go with --nproc N (the processes on this machine)");
            return null;
        }
        if (nproc < 1) throw new UserError($"--nproc must be at least 1, got {nproc}");
        if (nnodes < 1) throw new UserError($"--nnodes must be at least 1, got {nnodes}");
        if (nodeRank < 0 || nodeRank >= nnodes) throw new UserError($"--node-rank must be 0 .. {nnodes - 1} for --nnodes {nnodes}, got {nodeRank}");
        if (nnodes > 1 && master is null) throw new UserError("--nnodes above 1 needs --master HOST:PORT (node 0's address, the same on every node)");
        var timeout = parse.GetValue(Timeout) is { } seconds
            ? seconds >= 1 ? TimeSpan.FromSeconds(seconds) : throw new UserError($"--timeout must be at least 1 second, got {seconds}")
            : ParallelLaunch.DefaultTimeout;
        // The ranks' settings from the environment are checked here, before any rank starts: a rank refusing
        // them would race the others, which the launcher kills when one is refused.
        try
        {
            DataParallel.CheckEnvironment();
        }
        catch (RunSetupException e)
        {
            throw new UserError(e.Message);
        }
        var (host, port) = master is null ? ("127.0.0.1", FreePort()) : ParseMaster(master);
        var world = nproc.Value * nnodes;
        var ranks = Enumerable.Range(0, nproc.Value)
            .Select(local => new ParallelLaunch(nodeRank * nproc.Value + local, local, world, nnodes, host, port, timeout)).ToList();
        return new Plan(nproc.Value, ranks);
    }

    /// <summary>Starts this machine's ranks, waits for all of them, and returns the command's exit code.</summary>
    public static int Launch(Plan plan, StoreLocation store)
    {
        var ranks = plan.Ranks.Select(Start).ToList();
        var interrupts = 0;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            if (++interrupts == 1)
            {
                Console.Error.WriteLine("interrupted: every rank finishes the step, rank 0 writes a checkpoint (Ctrl-C again to kill them)");
                foreach (var r in ranks.Where(r => !r.Process.HasExited)) _ = kill(r.Process.Id, SigTerm);
            }
            else
            {
                foreach (var r in ranks.Where(r => !r.Process.HasExited)) r.Process.Kill();
            }
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            Watch(ranks, plan.Ranks[0].Timeout);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        foreach (var r in ranks.Where(r => r.Process.ExitCode >= 128 && r.Process.ExitCode != ExitCodes.Interrupted))
            Console.Error.WriteLine($"workbench: {r.Describe()} was killed by signal {r.Process.ExitCode - 128}");
        var leader = ranks.FirstOrDefault(r => r.Launch.IsLeader);
        if (leader != null && leader.Process.ExitCode >= 128 && leader.Process.ExitCode != ExitCodes.Interrupted)
        {
            MarkFailed(store, leader);
            return ExitCodes.Failed;
        }
        if (leader != null) return leader.Process.ExitCode;
        var codes = ranks.Select(r => r.Process.ExitCode).ToList();
        return codes.All(c => c == ExitCodes.Done) ? ExitCodes.Done
            : codes.Contains(ExitCodes.BadInput) ? ExitCodes.BadInput
            : codes.All(c => c is ExitCodes.Done or ExitCodes.Interrupted) ? ExitCodes.Interrupted
            : ExitCodes.Failed;
    }

    // Waits until every rank has exited. A rank refused at setup (exit 2) stops the others at once: nothing
    // was written and none can start without it. After any other failure the rest get the timeout to notice
    // at their next collective (rank 0 then records the run), and are killed when they outlive it; once
    // rank 0 has ended (the run is recorded) the others get a few seconds to say how they ended.
    private static void Watch(IReadOnlyList<Rank> ranks, TimeSpan timeout)
    {
        DateTime? deadline = null;
        while (ranks.Any(r => !r.Process.HasExited))
        {
            var failed = ranks.FirstOrDefault(r => r.Process.HasExited && r.Process.ExitCode is not (ExitCodes.Done or ExitCodes.Interrupted))
                         ?? ranks.FirstOrDefault(r => r.Launch.IsLeader && r.Process.HasExited);
            if (failed != null)
            {
                var grace = failed.Process.ExitCode == ExitCodes.BadInput ? TimeSpan.Zero
                    : failed.Launch.IsLeader ? TimeSpan.FromSeconds(10)
                    : timeout + TimeSpan.FromSeconds(30);
                var candidate = DateTime.UtcNow + grace;   // a shorter grace (rank 0 ended meanwhile) wins
                if (deadline is null || candidate < deadline) deadline = candidate;
                if (DateTime.UtcNow >= deadline)
                {
                    foreach (var r in ranks.Where(r => !r.Process.HasExited))
                    {
                        if (failed.Process.ExitCode != ExitCodes.BadInput)
                            Console.Error.WriteLine($"workbench: {r.Describe()} did not stop after {failed.Describe()} ended; killing it");
                        r.Process.Kill();
                    }
                }
            }
            Thread.Sleep(50);
        }
        foreach (var r in ranks) r.Process.WaitForExit();
    }

    // Rank 0 died without recording how its run ended: the run it was writing is marked failed, naming it.
    private static void MarkFailed(StoreLocation location, Rank leader)
    {
        if (!location.Exists) return;
        using var store = RunStore.Open(location);
        var run = store.List("running").FirstOrDefault(r => r.Process is { } p && p.Pid == leader.Process.Id && p.Host == Environment.MachineName);
        if (run == null) return;
        var error = $"{leader.Describe()} was killed by signal {leader.Process.ExitCode - 128}; resume continues from the last checkpoint";
        store.Finish(run.Id, RunStatus.Failed, null, error);
        Console.Error.WriteLine($"failed: {error}");
        Console.Out.WriteLine(run.Id);
    }

    private static Rank Start(ParallelLaunch launch)
    {
        var args = Environment.GetCommandLineArgs();
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program this is");
        // Under `dotnet workbench.dll` the program is dotnet and the first argument the assembly.
        var viaHost = Path.GetFileNameWithoutExtension(self) == "dotnet";
        var start = new ProcessStartInfo(self) { UseShellExecute = false };
        foreach (var arg in viaHost ? args : args.Skip(1)) start.ArgumentList.Add(arg);
        var (name, value) = launch.ToEnvironment();
        start.Environment[name] = value;
        return new Rank(launch, Process.Start(start) ?? throw new InvalidOperationException($"could not start rank {launch.Rank}"));
    }

    private static (string Host, int Port) ParseMaster(string master)
    {
        var colon = master.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(master[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new UserError($"--master '{master}' is not HOST:PORT (a port is 1 .. 65535), for example 10.0.0.1:29500");
        return (master[..colon], port);
    }

    // A port nothing listens on now, picked by the OS.
    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed record Rank(ParallelLaunch Launch, Process Process)
    {
        public string Describe() => $"rank {Launch.Rank} on {Environment.MachineName} (pid {Process.Id})";
    }

    // .NET can only SIGKILL another process; SIGTERM (the rank's clean stop) goes through libc.
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code in the CLI for this one call
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
