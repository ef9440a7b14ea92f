// Declarations for src/Native/wb_dist.cpp: the rendezvous store, process groups, their collectives and
// the gradient reducer.
using System.Runtime.InteropServices;

namespace Workbench.Torch.Native;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_dist_backends(out int bits);

    [LibraryImport(NativeLibraryLoader.LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int wb_dist_store_connect(string host, int port, int world, int rank, long timeoutMs, out IntPtr store);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_dist_store_free(IntPtr store);

    [LibraryImport(NativeLibraryLoader.LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int wb_dist_store_set(DistHandle store, string key, byte* value, long length);

    [LibraryImport(NativeLibraryLoader.LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int wb_dist_store_get(DistHandle store, string key, long timeoutMs, byte* buffer, long capacity, out long length);

    [LibraryImport(NativeLibraryLoader.LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int wb_dist_store_check(DistHandle store, string key, out int present);

    [LibraryImport(NativeLibraryLoader.LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int wb_dist_store_add(DistHandle store, string key, long delta, out long result);

    [LibraryImport(NativeLibraryLoader.LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int wb_dist_group_create(DistHandle store, int backend, int rank, int world, long timeoutMs, string bindHost, out IntPtr group);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_dist_group_free(IntPtr group);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_dist_all_reduce(DistHandle group, IntPtr* tensors, long count, int op, long bucketBytes, int grads);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_dist_broadcast(DistHandle group, IntPtr* tensors, long count, int root, long bucketBytes);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_dist_barrier(DistHandle group);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_dist_reducer_create(DistHandle group, IntPtr* parameters, long count, long bucketBytes, long firstBucketBytes,
        out IntPtr reducer);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_dist_reducer_free(IntPtr reducer);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_dist_reducer_buckets(DistHandle reducer, out long count, out long startedInBackward);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_dist_reducer_prepare(DistHandle reducer, int reduce);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_dist_reducer_finish(DistHandle reducer);
}

/// <summary>Owns one native store or process group; disposing it frees the native object once.</summary>
internal sealed class DistHandle : SafeHandle
{
    private readonly Func<IntPtr, int> _free;

    internal DistHandle(IntPtr handle, Func<IntPtr, int> free) : base(IntPtr.Zero, ownsHandle: true)
    {
        _free = free;
        SetHandle(handle);
    }

    // Marshalling needs a parameterless constructor for handles it creates; none are returned as DistHandle.
    public DistHandle() : base(IntPtr.Zero, ownsHandle: true) => _free = _ => 0;

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => _free(handle) == 0;
}
