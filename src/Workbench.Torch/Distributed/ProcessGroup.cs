// A fixed set of ranks that run collectives together (a c10d process group over Gloo or NCCL): the
// all-reduce that averages gradients, the broadcast of rank 0's weights, and a barrier.
using Workbench.Torch.Native;

namespace Workbench.Torch.Distributed;

public enum ReduceOp
{
    Sum = 0,
    Average = 1,
}

public sealed unsafe class ProcessGroup : IDisposable
{
    /// <summary>Tensors are packed into flat buffers of up to this many bytes, one collective each (DDP's 25 MB).</summary>
    public const long DefaultBucketBytes = 25L << 20;

    private readonly DistHandle _handle;

    internal DistHandle Handle => _handle;

    private ProcessGroup(IntPtr handle, DistributedBackend backend, int rank, int worldSize)
    {
        _handle = new DistHandle(handle, NativeMethods.wb_dist_group_free);
        Backend = backend;
        Rank = rank;
        WorldSize = worldSize;
    }

    public DistributedBackend Backend { get; }

    public int Rank { get; }

    public int WorldSize { get; }

    /// <summary>
    /// Forms the group over <paramref name="store"/> (every rank calls this); a collective that has not
    /// completed after <paramref name="timeout"/> fails with <see cref="DistributedException"/>. Gloo binds
    /// to <paramref name="bindHost"/>, the address other machines reach this one at (null: its hostname).
    /// </summary>
    public static ProcessGroup Create(RendezvousStore store, DistributedBackend backend, int rank, int worldSize, TimeSpan timeout,
        string? bindHost = null)
    {
        NativeMethods.Check(NativeMethods.wb_dist_group_create(store.Handle, (int)backend, rank, worldSize, (long)timeout.TotalMilliseconds,
            bindHost ?? "", out var h), $"{backend.Name()} process group");
        return new ProcessGroup(h, backend, rank, worldSize);
    }

    /// <summary>Sums or averages each tensor across ranks, in place.</summary>
    public void AllReduce(IReadOnlyList<Tensor> tensors, ReduceOp op = ReduceOp.Sum, long bucketBytes = DefaultBucketBytes) =>
        TensorArrayCall.Run(tensors, (p, n) => NativeMethods.wb_dist_all_reduce(_handle, p, n, (int)op, bucketBytes, grads: 0), "all_reduce");

    public void AllReduce(Tensor tensor, ReduceOp op = ReduceOp.Sum) => AllReduce([tensor], op);

    /// <summary>
    /// Averages the parameters' gradients across ranks in place, so every rank then steps identically.
    /// A parameter without a gradient gets zeros, so that all ranks pack the same buckets.
    /// </summary>
    public void AverageGradients(IReadOnlyList<Tensor> parameters, long bucketBytes = DefaultBucketBytes) =>
        TensorArrayCall.Run(parameters, (p, n) => NativeMethods.wb_dist_all_reduce(_handle, p, n, (int)ReduceOp.Average, bucketBytes, grads: 1),
            "all_reduce gradients");

    /// <summary>Overwrites the tensors on every rank with rank <paramref name="root"/>'s values.</summary>
    public void Broadcast(IReadOnlyList<Tensor> tensors, int root = 0, long bucketBytes = DefaultBucketBytes) =>
        TensorArrayCall.Run(tensors, (p, n) => NativeMethods.wb_dist_broadcast(_handle, p, n, root, bucketBytes), "broadcast");

    /// <summary>Returns once every rank has reached it.</summary>
    public void Barrier() => NativeMethods.Check(NativeMethods.wb_dist_barrier(_handle), "barrier");

    public void Dispose() => _handle.Dispose();
}
