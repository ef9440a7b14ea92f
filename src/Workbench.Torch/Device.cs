// Where a tensor lives: the CPU or one CUDA device. The type codes are c10::DeviceType's.
namespace Workbench.Torch;

public enum DeviceType
{
    Cpu = 0,
    Cuda = 1,
}

public readonly record struct Device(DeviceType Type, int Index = -1)
{
    public static readonly Device Cpu = new(DeviceType.Cpu);

    public static Device Cuda(int index = 0) => new(DeviceType.Cuda, index);

    public bool IsCuda => Type == DeviceType.Cuda;

    /// <summary>Parses "cpu", "cuda" or "cuda:N".</summary>
    public static Device Parse(string text)
    {
        if (TryParse(text, out var device)) return device;
        throw new FormatException($"'{text}' is not a device: use cpu, cuda or cuda:N");
    }

    public static bool TryParse(string text, out Device device)
    {
        device = Cpu;
        var t = text.Trim().ToLowerInvariant();
        if (t == "cpu") return true;
        if (t == "cuda") { device = Cuda(0); return true; }
        if (t.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(t.AsSpan(5), out var index) && index >= 0)
        {
            device = Cuda(index);
            return true;
        }
        return false;
    }

    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : $"cuda:{Math.Max(Index, 0)}";
}
