// Mixed precision, as torch.autocast: inside a region the ops that gain from a lower precision
// (matmul, linear, conv, attention) run in bfloat16 or float16 and precision-sensitive ones (softmax
// with its loss, norms, sums) in float32. Weights stay float32, so gradients and optimizer state do too;
// run backward after the region ends. Thread-local like grad mode; regions nest.
using Workbench.Torch.Native;

namespace Workbench.Torch;

public sealed class Autocast : IDisposable
{
    private readonly int _cuda;
    private readonly int _wasEnabled;
    private readonly int _wasDtype;
    private bool _disposed;

    /// <summary>Casts on <paramref name="device"/>'s type (CPU or CUDA) to <paramref name="dtype"/> until disposed.</summary>
    public Autocast(Device device, ScalarType dtype)
    {
        if (dtype is not (ScalarType.BFloat16 or ScalarType.Float16))
            throw new ArgumentException($"autocast casts to bfloat16 or float16, not {dtype.TorchName()}", nameof(dtype));
        _cuda = device.IsCuda ? 1 : 0;
        NativeMethods.Check(NativeMethods.wb_autocast_enter(_cuda, (int)dtype, out _wasEnabled, out _wasDtype), "autocast");
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        NativeMethods.Check(NativeMethods.wb_autocast_exit(_cuda, _wasEnabled, _wasDtype), "autocast");
    }
}
