using System.Globalization;

namespace Workbench.Cli;

/// <summary>
/// Which GPU each of a sweep's trial slots sees. Slot i gets the i-th GPU visible to the sweep, in turn
/// when there are more slots than GPUs; "visible" respects the CUDA_VISIBLE_DEVICES the sweep itself
/// was started under (a sweep given GPUs 2 and 3 hands out "2" and "3", not "0" and "1"), since a
/// trial's CUDA numbers its visible devices from 0 again.
/// </summary>
public static class GpuSlots
{
    /// <param name="slots">parallel trial processes</param>
    /// <param name="deviceCount">GPUs this process sees (0 on a CPU box: no assignment)</param>
    /// <param name="inherited">this process's CUDA_VISIBLE_DEVICES, if set</param>
    /// <returns>each slot's CUDA_VISIBLE_DEVICES value, or null for every slot on a CPU box</returns>
    public static string?[] Assign(int slots, int deviceCount, string? inherited)
    {
        if (deviceCount <= 0) return new string?[slots];
        var visible = (inherited ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string Device(int index) => visible.Length == deviceCount ? visible[index] : index.ToString(CultureInfo.InvariantCulture);
        return Enumerable.Range(0, slots).Select(slot => (string?)Device(slot % deviceCount)).ToArray();
    }
}
