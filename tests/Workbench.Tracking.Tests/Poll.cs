// Waits for a condition that background work makes true, without asserting on how long it takes.
namespace Workbench.Tracking.Tests;

internal static class Poll
{
    /// <summary>True once <paramref name="condition"/> holds; false if it still fails after a generous 20 s.</summary>
    public static bool Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            Thread.Sleep(20);
        }
        return true;
    }
}
