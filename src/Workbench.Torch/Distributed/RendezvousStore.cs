// The key-value store ranks meet at before they form a process group (c10d's TCPStore): rank 0 serves
// it on the master's port, the others connect. Small strings only (host names, hashes, step counters).
using System.Text;
using Workbench.Torch.Native;

namespace Workbench.Torch.Distributed;

public sealed unsafe class RendezvousStore : IDisposable
{
    internal readonly DistHandle Handle;

    private RendezvousStore(IntPtr handle) => Handle = new DistHandle(handle, NativeMethods.wb_dist_store_free);

    /// <summary>
    /// Serves (rank 0) or joins the store at <paramref name="host"/>:<paramref name="port"/> and waits
    /// until all <paramref name="world"/> ranks have connected (<see cref="WaitForRanks"/>). Throws
    /// <see cref="DistributedException"/> when the port is taken, the master cannot be reached, or ranks
    /// are missing after <paramref name="timeout"/>.
    /// </summary>
    public static RendezvousStore Connect(string host, int port, int world, int rank, TimeSpan timeout)
    {
        var store = Open(host, port, world, rank, timeout);
        try
        {
            store.WaitForRanks(world, timeout);
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Serves (rank 0) or joins the store without waiting for the other ranks.</summary>
    public static RendezvousStore Open(string host, int port, int world, int rank, TimeSpan timeout)
    {
        NativeMethods.Check(NativeMethods.wb_dist_store_connect(host, port, world, rank, (long)timeout.TotalMilliseconds, out var h),
            $"rendezvous at {host}:{port}");
        return new RendezvousStore(h);
    }

    /// <summary>
    /// Counts this rank in and waits until <paramref name="world"/> ranks have been counted; a rank that
    /// sets <paramref name="refusalKey"/> meanwhile ends the wait with its value as the error.
    /// </summary>
    public void WaitForRanks(int world, TimeSpan timeout, string? refusalKey = null)
    {
        const string key = "wb/joined";
        var joined = Add(key, 1);
        var deadline = DateTime.UtcNow + timeout;
        while (joined < world)
        {
            if (refusalKey != null && Contains(refusalKey)) throw new DistributedException("rendezvous", Get(refusalKey, timeout));
            if (DateTime.UtcNow > deadline)
                throw new DistributedException("rendezvous", $"only {joined} of {world} ranks joined within {timeout.TotalSeconds:0.#} s");
            Thread.Sleep(10);
            joined = Add(key, 0);
        }
    }

    public void Set(string key, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        fixed (byte* p = bytes) NativeMethods.Check(NativeMethods.wb_dist_store_set(Handle, key, p, bytes.Length), "store set");
    }

    /// <summary>The value of <paramref name="key"/>, waiting up to <paramref name="timeout"/> for a rank to set it.</summary>
    public string Get(string key, TimeSpan timeout)
    {
        var buffer = new byte[256];
        while (true)
        {
            long length;
            fixed (byte* p = buffer)
                NativeMethods.Check(NativeMethods.wb_dist_store_get(Handle, key, (long)timeout.TotalMilliseconds, p, buffer.Length, out length),
                    "store get");
            if (length <= buffer.Length) return Encoding.UTF8.GetString(buffer, 0, (int)length);
            buffer = new byte[length];
        }
    }

    /// <summary>Whether some rank has set <paramref name="key"/>; does not wait.</summary>
    public bool Contains(string key)
    {
        NativeMethods.Check(NativeMethods.wb_dist_store_check(Handle, key, out var present), "store check");
        return present != 0;
    }

    /// <summary>Adds <paramref name="delta"/> to the counter at <paramref name="key"/> (0 when unset) and returns the new value.</summary>
    public long Add(string key, long delta)
    {
        NativeMethods.Check(NativeMethods.wb_dist_store_add(Handle, key, delta, out var result), "store add");
        return result;
    }

    public void Dispose() => Handle.Dispose();
}
