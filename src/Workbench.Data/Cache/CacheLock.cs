// An exclusive lock on one cache entry, held across processes, so two runs never fetch the same package at once.
namespace Workbench.Data;

internal sealed class CacheLock : IDisposable
{
    // A fetch of the largest package (MNIST, 11 MB) takes seconds; waiting this long means the holder is stuck.
    static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    readonly FileStream stream;

    CacheLock(FileStream stream) => this.stream = stream;

    /// <summary>
    /// Opens <paramref name="path"/> with FileShare.None, which .NET on Unix backs with flock(2): another
    /// process (or thread) that tries the same gets an IOException until we dispose, and the OS drops the
    /// lock if we die. The lock file itself is empty and stays behind.
    /// </summary>
    public static CacheLock Acquire(string path)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                return new CacheLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
            catch (IOException e)
            {
                throw DataException.Fetch(
                    $"Gave up after {Patience.TotalMinutes:0} minutes waiting for another process to finish fetching into the cache " +
                    $"(lock file {path}). If no other workbench is running, delete that file and try again.", e);
            }
        }
    }

    public void Dispose() => stream.Dispose();
}
