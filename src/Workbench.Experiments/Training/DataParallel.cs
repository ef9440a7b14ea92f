// Data-parallel training across processes (DDP's semantics on libtorch's c10d): the ranks meet at the
// master, check that they run one spec in one world, start from rank 0's weights, each take their own
// shard of every global batch, and average their gradients before the clip and the optimizer step, so
// every replica steps identically: a GradientReducer all-reduces them in buckets that start during the
// step's last backward (DDP's overlap). Rank 0 alone writes the run.
//
// When a collective fails (a rank died, hung past the timeout, or its machine went away) the error names
// the rank that is missing and its host: each rank marks the step whose gradients it is about to reduce
// in the store, so the rank that never reached it (or whose process is gone) is the one to name.
using System.Diagnostics;
using System.Globalization;
using Workbench.Experiments.Runs;
using Workbench.Torch;
using Workbench.Torch.Distributed;

namespace Workbench.Experiments.Training;

public sealed class DataParallel : IDisposable
{
    private readonly RendezvousStore _store;
    private readonly ProcessGroup _group;
    private bool _broken;   // a collective failed: a peer is gone or hung
    private readonly IReadOnlyList<Member> _members;
    private readonly Device _device;
    private readonly TimeSpan _timeout;
    private long _reached = -1;
    private GradientReducer? _reducer;   // hooks the gradients of _reduced (null: WORKBENCH_GRAD_OVERLAP=0)
    private IReadOnlyList<Tensor>? _reduced;
    private long _steps;                 // steps agreed on so far
    private TimeSpan _collectiveTime;    // in the gradient all-reduce and the agreement, after the first 10 steps

    private DataParallel(RendezvousStore store, ProcessGroup group, IReadOnlyList<Member> members, ParallelLaunch launch, Device device)
    {
        (_store, _group, _members, _device, _timeout) = (store, group, members, device, launch.Timeout);
        Launch = launch;
    }

    public ParallelLaunch Launch { get; }

    public int Rank => Launch.Rank;

    public int WorldSize => Launch.WorldSize;

    public bool IsLeader => Launch.IsLeader;

    public DistributedBackend Backend => _group.Backend;

    /// <summary>Each rank's host, by rank.</summary>
    public IReadOnlyList<string> Hosts => _members.Select(m => m.Host).ToList();

    /// <summary>
    /// Meets the other ranks at the master and forms the process group (Gloo on CPU, NCCL on CUDA). A port
    /// in use, an unreachable master, ranks missing after the timeout, or ranks that disagree on the world
    /// size or the spec are a <see cref="RunSetupException"/>: nothing has been written yet.
    /// </summary>
    public static DataParallel Join(ParallelLaunch launch, Device device, string configHash)
    {
        BucketBytes();   // a bad WORKBENCH_GRAD_BUCKET_MB is refused here, before the run exists
        var backend = device.IsCuda ? DistributedBackend.Nccl : DistributedBackend.Gloo;
        if (!DistributedBackends.Available.Contains(backend))
            throw new RunSetupException($"--nproc on {device} needs the {backend.Name()} backend, which this engine was built without " +
                                        "(workbench doctor lists the backends; Debian: install libgloo-dev and rebuild the shim)");
        var where = $"{launch.MasterHost}:{launch.MasterPort}";
        RendezvousStore? store = null;
        try
        {
            store = RendezvousStore.Open(launch.MasterHost, launch.MasterPort, launch.WorldSize, launch.Rank, launch.Timeout);
            var me = new Member(launch.Rank, Environment.MachineName, Environment.ProcessId, launch.WorldSize, configHash);
            if (store.Add($"wb/claim/{launch.Rank}", 1) > 1)
                throw new RunSetupException($"rank {launch.Rank} was started twice (on {me.Host} among others): give each node its own --node-rank");
            store.Set($"wb/rank/{launch.Rank}", me.ToRecord());
            // Rank 0's record first: a rank of another world or spec stops here, and tells the others (Refused),
            // before anyone waits for ranks that will never come.
            Refusing(store, () => Agrees(me, Member.Parse(store.Get("wb/rank/0", launch.Timeout))));
            store.WaitForRanks(launch.WorldSize, launch.Timeout, Refused);
            var members = Enumerable.Range(0, launch.WorldSize).Select(r => Member.Parse(store.Get($"wb/rank/{r}", launch.Timeout))).ToList();
            foreach (var other in members) Agrees(members[0], other);
            var loopback = launch.MasterHost is "127.0.0.1" or "localhost" or "::1";
            var group = ProcessGroup.Create(store, backend, launch.Rank, launch.WorldSize, launch.Timeout, loopback ? "127.0.0.1" : null);
            return new DataParallel(store, group, members, launch, device);
        }
        catch (DistributedException e)
        {
            store?.Dispose();
            throw new RunSetupException($"rank {launch.Rank} on {Environment.MachineName} could not meet the other ranks at {where} " +
                                        $"(world size {launch.WorldSize}, timeout {launch.Timeout.TotalSeconds:0.#} s): {e.Message}");
        }
        catch
        {
            store?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Refuses a spec that <paramref name="worldSize"/> ranks cannot split: a stage the stage table marks as not
    /// data-parallel, or a global batch (train.batch_size) that does not divide into grad_accum micro-batches of
    /// which each rank takes an equal share. The launcher checks this before any rank starts.
    /// </summary>
    public static void CheckSpec(Specs.ExperimentSpec spec, int worldSize)
    {
        var train = spec.Train;
        var stage = Catalog.StageTable.Get(train.Stage);
        if (stage.NotDataParallel is { } why)
            throw new RunSetupException($"train.stage {stage.Name} does not run data-parallel: {why}; run it without --nproc " +
                                        $"(data-parallel stages: {string.Join(", ", Catalog.StageTable.All.Where(s => s.Built && s.DataParallel).Select(s => s.Name))})");
        if (train.BatchSize % worldSize != 0)
            throw new RunSetupException($"train.batch_size {train.BatchSize} (the global batch) does not divide among {worldSize} ranks; " +
                                        $"use a multiple of {worldSize} or another --nproc");
        if (train.BatchSize / worldSize % train.GradAccum != 0)
            throw new RunSetupException($"each of the {worldSize} ranks takes {train.BatchSize / worldSize} rows of train.batch_size {train.BatchSize}, " +
                                        $"which train.grad_accum {train.GradAccum} does not split into equal micro-batches");
        // The checks above make train.batch_size a multiple of world size x grad_accum: every micro-batch of the
        // global batch splits evenly between the ranks, which the stages of whole examples (sft, reward, dpo) rely on.
    }

    /// <summary>Overwrites every parameter and buffer with rank 0's, so all replicas start from one model.</summary>
    public void BroadcastFromLeader(TrainedModules trained) => Collective("broadcasting rank 0's weights", () =>
    {
        var tensors = trained.Modules.Values.SelectMany(m => m.NamedParameters().Concat(m.NamedBuffers())).Select(p => p.Value).ToList();
        _group.Broadcast(tensors);
    });

    /// <summary>
    /// WORKBENCH_GRAD_OVERLAP=0 all-reduces the gradients only after the last backward, in one pass over the
    /// buckets (the engine's path before the reducer): benchmarks/parallel.sh measures both, and it is the
    /// way out should an engine's autograd not call the reducer's hooks.
    /// </summary>
    private static readonly bool AfterBackward = Environment.GetEnvironmentVariable("WORKBENCH_GRAD_OVERLAP") == "0";

    /// <summary>Refuses (<see cref="RunSetupException"/>) data-parallel settings from the environment that no rank could use.</summary>
    public static void CheckEnvironment() => BucketBytes();

    /// <summary>
    /// The reducer's bucket size: WORKBENCH_GRAD_BUCKET_MB megabytes (DDP's bucket_cap_mb), else 25 MB. The
    /// first bucket is at most 1 MB (DDP's too), so a model of a few MB already overlaps.
    /// </summary>
    private static long BucketBytes()
    {
        const string variable = "WORKBENCH_GRAD_BUCKET_MB";
        if (Environment.GetEnvironmentVariable(variable) is not { Length: > 0 } value) return ProcessGroup.DefaultBucketBytes;
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var mb) || !(mb > 0) || double.IsInfinity(mb))
            throw new RunSetupException($"{variable}='{value}' is not a positive number of megabytes");
        return Math.Max(1, (long)(mb * (1 << 20)));
    }

    /// <summary>
    /// Call before each backward of a step: the step's last (<paramref name="reduce"/>)
    /// all-reduces the gradients of <paramref name="parameters"/> in buckets as backward produces them;
    /// the earlier micro-batches only accumulate on this rank (DDP's no_sync).
    /// </summary>
    public void BeforeBackward(IReadOnlyList<Tensor> parameters, bool reduce)
    {
        if (!ReferenceEquals(parameters, _reduced))
        {
            _reducer?.Dispose();
            _reducer = AfterBackward ? null : GradientReducer.Create(_group, parameters, BucketBytes());
            _reduced = parameters;
        }
        _reducer?.Prepare(reduce);
    }

    /// <summary>
    /// After the last backward of step <paramref name="step"/> and before the clip: waits for the gradient
    /// all-reduces the backward started and leaves every gradient the mean over ranks.
    /// </summary>
    public void AverageGradients(long step)
    {
        // Marked once this rank's backward is done: a rank killed or stopped in its backward stays behind.
        _reached = step;
        _store.Set($"wb/reached/{Rank}", step.ToString(CultureInfo.InvariantCulture));
        var started = Stopwatch.GetTimestamp();
        Collective($"averaging the gradients of step {step + 1}", () =>
        {
            if (AfterBackward) _group.AverageGradients(_reduced!);
            else _reducer!.Finish();
        });
        Measure(started);
    }

    /// <summary>
    /// Mean milliseconds per step spent waiting for all-reduces (the first 10 steps left out, as step_ms does),
    /// or null: the gradients' that backward did not hide, and the loss agreement.
    /// </summary>
    public double? AllReduceMs => _steps > 10 ? _collectiveTime.TotalMilliseconds / (_steps - 10) : null;

    private void Measure(long started)
    {
        if (_steps >= 10) _collectiveTime += Stopwatch.GetElapsedTime(started);
    }

    /// <summary>The step's loss averaged over ranks, and whether any rank was asked to stop (Ctrl-C).</summary>
    public (double Loss, bool Stop) Agree(double loss, bool stop)
    {
        var started = Stopwatch.GetTimestamp();
        var sums = Sum(loss, stop ? 1 : 0);
        Measure(started);
        _steps++;
        return (sums[0] / WorldSize, sums[1] > 0);
    }

    /// <summary>Each value summed over ranks (the sharded evaluation's loss sums and counts).</summary>
    public double[] Sum(params double[] values)
    {
        using var scope = TensorScope.Begin();
        var t = Tensor.From(values, values.Length).To(_device);
        Collective("summing across ranks", () => _group.AllReduce(t));
        return t.To(Device.Cpu).ToArray<double>();
    }

    /// <summary>This rank's contiguous share of <paramref name="count"/> items: [Start, Start + Count).</summary>
    public (long Start, long Count) Shard(long count)
    {
        var start = count * Rank / WorldSize;
        return (start, count * (Rank + 1) / WorldSize - start);
    }

    /// <summary>This rank's slice of a global batch whose size the world size divides.</summary>
    public long[] ShardOf(long[] batch) => Slice(batch, Rank, WorldSize);

    /// <summary>Rank <paramref name="rank"/>'s consecutive 1/<paramref name="worldSize"/> of a global batch.</summary>
    public static long[] Slice(long[] batch, int rank, int worldSize)
    {
        var each = batch.Length / worldSize;
        return batch.AsSpan(rank * each, each).ToArray();
    }

    /// <summary>
    /// The seed rank <paramref name="rank"/>'s generator starts from: rank 0 keeps the run's (so its dropout and
    /// sampling match a single process), the others get their own, offset by the step on resume.
    /// </summary>
    public static long RankSeed(long seed, int rank, long step) =>
        rank == 0 ? seed : unchecked(seed + rank * 1_000_003L + step * 7_919L);

    public void Dispose()
    {
        _reducer?.Dispose();
        // After a failed collective a peer may be stopped half-way through a request to the store: the store
        // rank 0 serves then joins a server thread blocked reading that peer's socket, and the process never
        // exits (so its launcher never ends). The process is about to exit on the failure: leave both to it.
        if (_broken) return;
        _group.Dispose();
        _store.Dispose();
    }

    private const string Refused = "wb/refused";

    // Runs a check; its refusal is also left in the store, where the other ranks' wait finds it.
    private static void Refusing(RendezvousStore store, Action check)
    {
        try
        {
            check();
        }
        catch (RunSetupException e)
        {
            store.Set(Refused, e.Message);
            throw;
        }
    }

    private static void Agrees(Member first, Member other)
    {
        if (other.WorldSize != first.WorldSize)
            throw new RunSetupException($"the world size differs between ranks: rank {first.Rank} on {first.Host} runs {first.WorldSize} ranks, " +
                                        $"rank {other.Rank} on {other.Host} runs {other.WorldSize}; give every node the same --nproc and --nnodes");
        if (other.ConfigHash != first.ConfigHash)
            throw new RunSetupException($"the spec differs between ranks: rank {first.Rank} on {first.Host} has config hash {first.ConfigHash[..12]}, " +
                                        $"rank {other.Rank} on {other.Host} has {other.ConfigHash[..12]}; run the same spec and --set on every node");
    }

    // Runs a collective; a failure becomes an error that names the rank that is missing and its host.
    private void Collective(string what, Action action)
    {
        try
        {
            action();
        }
        catch (DistributedException e)
        {
            _broken = true;
            throw new DistributedException("data parallel", $"rank {Rank} on {_members[Rank].Host} stopped while {what}: {Missing()} ({e.Message})");
        }
    }

    // Which rank the others are waiting for: one whose process on this host is gone, else one that never
    // reached the step this rank reached; when the store itself is gone, rank 0 (which serves it).
    // A killed rank's sockets close while the kernel tears it down, a moment before /proc calls it a zombie:
    // a connection reset can arrive first, so the local ranks are looked at again for up to 3 s.
    private string Missing()
    {
        var local = _members.Where(m => m.Rank != Rank && m.Host == Environment.MachineName).ToList();
        var gone = local.Where(m => !IsAlive(m.Pid)).ToList();
        for (var waited = 0; gone.Count == 0 && local.Count > 0 && waited < 3000; waited += 100)
        {
            Thread.Sleep(100);
            gone = local.Where(m => !IsAlive(m.Pid)).ToList();
        }
        if (gone.Count > 0) return string.Join("; ", gone.Select(m => $"rank {m.Rank} on {m.Host} (pid {m.Pid}) has exited"));
        try
        {
            var behind = _members.Where(m => m.Rank != Rank && Reached(m.Rank) < _reached).ToList();
            if (behind.Count > 0)
                return string.Join("; ", behind.Select(m => $"rank {m.Rank} on {m.Host} did not reach step {_reached + 1} within {_timeout.TotalSeconds:0.#} s"));
            return $"a rank left or hung (ranks on {string.Join(", ", Hosts.Distinct())})";
        }
        catch (DistributedException)
        {
            return $"rank 0 on {_members[0].Host}, which serves the rendezvous store, is unreachable";
        }
    }

    private long Reached(int rank) =>
        _store.Contains($"wb/reached/{rank}") ? long.Parse(_store.Get($"wb/reached/{rank}", TimeSpan.FromSeconds(5)), CultureInfo.InvariantCulture) : -1;

    private static bool IsAlive(int pid)
    {
        // A rank killed a moment ago stays a zombie until its launcher reaps it, and a zombie still answers
        // GetProcessById: on Linux its state in /proc says it is gone.
        var stat = $"/proc/{pid}/stat";
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var text = File.ReadAllText(stat);
                return text[(text.LastIndexOf(')') + 2)..] is not ['Z', ..] and not ['X', ..];
            }
            catch (IOException)
            {
                return false;   // no such process
            }
        }
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>What each rank tells the others at the rendezvous.</summary>
    private sealed record Member(int Rank, string Host, int Pid, int WorldSize, string ConfigHash)
    {
        public string ToRecord() => string.Join('\t', Rank, Host, Pid, WorldSize, ConfigHash);

        public static Member Parse(string record)
        {
            var f = record.Split('\t');
            return new Member(int.Parse(f[0], CultureInfo.InvariantCulture), f[1], int.Parse(f[2], CultureInfo.InvariantCulture),
                int.Parse(f[3], CultureInfo.InvariantCulture), f[4]);
        }
    }
}
