// DDP's gradient reducer over a process group: the parameters' gradients are all-reduced in buckets
// that start during backward, as soon as each bucket's gradients are ready, so the communication of the
// last layers overlaps the backward of the first; Finish, after backward, waits for the rest and leaves
// each .grad the mean over ranks. The bucketing, the hooks and the waiting live in the shim (wb_dist.cpp).
using Workbench.Torch.Native;

namespace Workbench.Torch.Distributed;

public sealed class GradientReducer : IDisposable
{
    private readonly DistHandle _handle;

    private GradientReducer(IntPtr handle) => _handle = new DistHandle(handle, NativeMethods.wb_dist_reducer_free);

    /// <summary>The first bucket (the last layers') is at most this big, so that its all-reduce starts early (DDP's 1 MB).</summary>
    public const long DefaultFirstBucketBytes = 1L << 20;

    /// <summary>
    /// Hooks the gradients of <paramref name="parameters"/> (leaves, in registration order: the buckets follow
    /// the reverse order, which backward produces them in; frozen ones are left out) into buckets of up to
    /// <paramref name="bucketBytes"/> each (a larger parameter gets one of its own), the first of up to
    /// <paramref name="firstBucketBytes"/>. Every rank must pass the same parameters in the same order.
    /// </summary>
    public static unsafe GradientReducer Create(ProcessGroup group, IReadOnlyList<Tensor> parameters, long bucketBytes = ProcessGroup.DefaultBucketBytes,
        long firstBucketBytes = DefaultFirstBucketBytes)
    {
        var h = IntPtr.Zero;
        TensorArrayCall.Run(parameters, (p, n) => NativeMethods.wb_dist_reducer_create(group.Handle, p, n, bucketBytes, firstBucketBytes, out h),
            "gradient reducer");
        return new GradientReducer(h);
    }

    /// <summary>How many buckets, so how many all-reduces, a step takes.</summary>
    public long BucketCount => Counts().Buckets;

    /// <summary>
    /// How many buckets the last reducing backward started while it ran; the others waited for <see cref="Finish"/>
    /// (those from the first bucket holding a parameter that backward did not reach on).
    /// </summary>
    public long StartedInBackward => Counts().Started;

    private (long Buckets, long Started) Counts()
    {
        NativeMethods.Check(NativeMethods.wb_dist_reducer_buckets(_handle, out var count, out var started), "gradient reducer");
        return (count, started);
    }

    /// <summary>
    /// Call before each backward. With <paramref name="reduce"/> the backward's gradients are all-reduced as
    /// they become ready (the step's last micro-batch), and <see cref="Finish"/> must follow; without it
    /// the gradients only accumulate on this rank (the earlier micro-batches: DDP's no_sync).
    /// </summary>
    public void Prepare(bool reduce) => NativeMethods.Check(NativeMethods.wb_dist_reducer_prepare(_handle, reduce ? 1 : 0), "gradient reducer");

    /// <summary>
    /// After the reducing backward: waits for every bucket's all-reduce and leaves each parameter's gradient
    /// the mean over ranks. A parameter that got no gradient (unused) contributes what its .grad holds,
    /// zeros where it has none; its bucket starts only here, so it costs overlap, never a deadlock.
    /// A rank that is gone or hangs past the group's timeout is a <see cref="DistributedException"/>.
    /// </summary>
    public void Finish() => NativeMethods.Check(NativeMethods.wb_dist_reducer_finish(_handle), "all_reduce gradients");

    public void Dispose() => _handle.Dispose();
}
