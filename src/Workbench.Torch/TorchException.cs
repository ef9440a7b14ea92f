// Exceptions for failed engine calls: each names the op and carries libtorch's message.
namespace Workbench.Torch;

/// <summary>A libtorch call failed. <see cref="Op"/> names the call; the message is libtorch's.</summary>
public class TorchException : Exception
{
    public TorchException(string op, string message) : base($"{op}: {FirstLine(message)}")
    {
        Op = op;
        NativeMessage = message;
    }

    public string Op { get; }

    /// <summary>The full native message, which may span several lines.</summary>
    public string NativeMessage { get; }

    internal static TorchException From(int status, string op, string message) => status switch
    {
        2 => new TorchIndexException(op, message),
        3 or 9 => new TorchArgumentException(op, message),
        4 => new TorchTypeException(op, message),
        5 => new TorchNotImplementedException(op, message),
        6 => new TorchOutOfMemoryException(op, message),
        10 => new DistributedException(op, message),
        _ when message.Contains("shape", StringComparison.OrdinalIgnoreCase)
            || message.Contains("size of tensor", StringComparison.OrdinalIgnoreCase)
            || message.Contains("cannot be multiplied", StringComparison.OrdinalIgnoreCase) => new TorchShapeException(op, message),
        _ => new TorchException(op, message),
    };

    private static string FirstLine(string message)
    {
        var trimmed = message.Trim();
        var newline = trimmed.IndexOf('\n');
        return newline < 0 ? trimmed : trimmed[..newline];
    }
}

/// <summary>An index was out of range.</summary>
public sealed class TorchIndexException(string op, string message) : TorchException(op, message);

/// <summary>An argument was rejected (a bad value, an unknown device, a null handle).</summary>
public sealed class TorchArgumentException(string op, string message) : TorchException(op, message);

/// <summary>A tensor had the wrong dtype for the op.</summary>
public sealed class TorchTypeException(string op, string message) : TorchException(op, message);

/// <summary>The op is not implemented for this dtype or device (f16 on CPU with libtorch 1.13, for example).</summary>
public sealed class TorchNotImplementedException(string op, string message) : TorchException(op, message);

/// <summary>The device ran out of memory.</summary>
public sealed class TorchOutOfMemoryException(string op, string message) : TorchException(op, message);

/// <summary>Tensor shapes did not fit the op.</summary>
public sealed class TorchShapeException(string op, string message) : TorchException(op, message);

/// <summary>A collective or the rendezvous failed: a timeout, a rank gone, a port in use, an unreachable master.</summary>
public sealed class DistributedException(string op, string message) : TorchException(op, message);
