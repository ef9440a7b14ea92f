// Tensor: an owned handle to a libtorch tensor. Creation from managed data, factories, metadata,
// reading values back, and conversion. Ops live in the other Tensor.*.cs partial files.
using System.Runtime.InteropServices;
using Workbench.Torch.Native;

namespace Workbench.Torch;

public sealed unsafe partial class Tensor : IDisposable
{
    internal readonly TensorHandle Handle;

    /// <summary>The scope that will dispose this tensor, if any.</summary>
    internal TensorScope? Scope;

    internal Tensor(IntPtr handle)
    {
        Handle = new TensorHandle(handle);
        TensorScope.Current?.Register(this);
    }

    /// <summary>Native tensors alive in the process now. For a leak check use <see cref="TensorCensus.Take"/>,
    /// which first lets the GC free what earlier code forgot to dispose.</summary>
    public static long LiveCount => TensorHandle.Live;

    public void Dispose() => Handle.Dispose();

    public bool IsDisposed => Handle.IsClosed;

    // ---- creation from managed data ----------------------------------------------------------

    public static Tensor From(float[] data, params long[] shape) => FromSpan<float>(data, ScalarType.Float32, shape);
    public static Tensor From(double[] data, params long[] shape) => FromSpan<double>(data, ScalarType.Float64, shape);
    public static Tensor From(long[] data, params long[] shape) => FromSpan<long>(data, ScalarType.Int64, shape);
    public static Tensor From(int[] data, params long[] shape) => FromSpan<int>(data, ScalarType.Int32, shape);
    public static Tensor From(byte[] data, params long[] shape) => FromSpan<byte>(data, ScalarType.UInt8, shape);
    public static Tensor From(bool[] data, params long[] shape) => FromSpan<bool>(data, ScalarType.Bool, shape);

    /// <summary>A tensor of any dtype from its raw little-endian bytes (safetensors, fp16/bf16 data).</summary>
    public static Tensor FromBytes(ReadOnlySpan<byte> bytes, ScalarType dtype, ReadOnlySpan<long> shape, Device? device = null)
    {
        var count = Numel(shape);
        if (count * dtype.ElementSize() != bytes.Length)
            throw new ArgumentException($"shape [{string.Join(", ", shape.ToArray())}] of {dtype.TorchName()} needs {count * dtype.ElementSize()} bytes, got {bytes.Length}");
        var d = device ?? Device.Cpu;
        fixed (byte* p = bytes)
        fixed (long* s = shape)
        {
            NativeMethods.Check(NativeMethods.wb_tensor_from_data(p, s, shape.Length, (int)dtype, (int)d.Type, d.Index, out var h), "from_data");
            return new Tensor(h);
        }
    }

    /// <summary>A 0-dim tensor holding one value.</summary>
    public static Tensor Scalar(double value, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        Full([], value, dtype, device);

    /// <summary>Copies <paramref name="data"/> into a new tensor of <paramref name="dtype"/>; an empty shape means 1-D.</summary>
    public static Tensor FromSpan<T>(ReadOnlySpan<T> data, ScalarType dtype, ReadOnlySpan<long> shape, Device? device = null)
        where T : unmanaged
    {
        long[] dims = shape.Length == 0 ? [data.Length] : shape.ToArray();
        var count = Numel(dims);
        if (count != data.Length)
            throw new ArgumentException($"shape [{string.Join(", ", dims)}] holds {count} elements, data has {data.Length}");
        if (sizeof(T) != dtype.ElementSize())
            throw new ArgumentException($"{typeof(T).Name} data cannot fill a {dtype.TorchName()} tensor");
        var d = device ?? Device.Cpu;
        fixed (T* p = data)
        fixed (long* s = dims)
        {
            NativeMethods.Check(NativeMethods.wb_tensor_from_data(p, s, dims.Length, (int)dtype, (int)d.Type, d.Index, out var h), "from_data");
            return new Tensor(h);
        }
    }

    // ---- factories ---------------------------------------------------------------------------

    public static Tensor Empty(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        Factory(shape, dtype, device, "empty", (s, n, t, dt, di) => { NativeMethods.Check(NativeMethods.wb_tensor_empty(s, n, t, dt, di, out var h), "empty"); return h; });

    public static Tensor Zeros(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null) => Full(shape, 0, dtype, device);

    public static Tensor Ones(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null) => Full(shape, 1, dtype, device);

    public static Tensor Full(long[] shape, double value, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        Factory(shape, dtype, device, "full", (s, n, t, dt, di) => { NativeMethods.Check(NativeMethods.wb_tensor_full(s, n, value, t, dt, di, out var h), "full"); return h; });

    /// <summary>Uniform on [0, 1), from the global generator.</summary>
    public static Tensor Rand(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        Factory(shape, dtype, device, "rand", (s, n, t, dt, di) => { NativeMethods.Check(NativeMethods.wb_tensor_rand(s, n, t, dt, di, out var h), "rand"); return h; });

    /// <summary>Standard normal, from the global generator.</summary>
    public static Tensor Randn(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        Factory(shape, dtype, device, "randn", (s, n, t, dt, di) => { NativeMethods.Check(NativeMethods.wb_tensor_randn(s, n, t, dt, di, out var h), "randn"); return h; });

    /// <summary>Integers uniform on [low, high).</summary>
    public static Tensor RandInt(long low, long high, long[] shape, ScalarType dtype = ScalarType.Int64, Device? device = null) =>
        Factory(shape, dtype, device, "randint", (s, n, t, dt, di) => { NativeMethods.Check(NativeMethods.wb_tensor_randint(low, high, s, n, t, dt, di, out var h), "randint"); return h; });

    public static Tensor Arange(double start, double end, double step = 1, ScalarType dtype = ScalarType.Int64, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        NativeMethods.Check(NativeMethods.wb_tensor_arange(start, end, step, (int)dtype, (int)d.Type, d.Index, out var h), "arange");
        return new Tensor(h);
    }

    public static Tensor Arange(long end, ScalarType dtype = ScalarType.Int64, Device? device = null) => Arange(0, end, 1, dtype, device);

    public static Tensor Eye(long n, long? m = null, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        NativeMethods.Check(NativeMethods.wb_tensor_eye(n, m ?? n, (int)dtype, (int)d.Type, d.Index, out var h), "eye");
        return new Tensor(h);
    }

    private delegate IntPtr FactoryCall(long* shape, long ndim, int dtype, int deviceType, int deviceIndex);

    private static Tensor Factory(long[] shape, ScalarType dtype, Device? device, string op, FactoryCall call)
    {
        var d = device ?? Device.Cpu;
        fixed (long* s = shape) return new Tensor(call(s, shape.Length, (int)dtype, (int)d.Type, d.Index));
    }

    // ---- metadata ----------------------------------------------------------------------------

    public long Dim
    {
        get { NativeMethods.Check(NativeMethods.wb_tensor_ndim(Handle, out var n), "dim"); return n; }
    }

    public long[] Shape
    {
        get
        {
            var shape = new long[Dim];
            fixed (long* p = shape) NativeMethods.Check(NativeMethods.wb_tensor_shape(Handle, p), "shape");
            return shape;
        }
    }

    /// <summary>The size of one dim; negative dims count from the end.</summary>
    public long Size(int dim)
    {
        var shape = Shape;
        return shape[dim < 0 ? shape.Length + dim : dim];
    }

    public long NumElements
    {
        get { NativeMethods.Check(NativeMethods.wb_tensor_numel(Handle, out var n), "numel"); return n; }
    }

    public ScalarType DType
    {
        get { NativeMethods.Check(NativeMethods.wb_tensor_dtype(Handle, out var t), "dtype"); return (ScalarType)t; }
    }

    public Device Device
    {
        get
        {
            NativeMethods.Check(NativeMethods.wb_tensor_device(Handle, out var type, out var index), "device");
            return new Device((DeviceType)type, index);
        }
    }

    public bool RequiresGrad
    {
        get { NativeMethods.Check(NativeMethods.wb_tensor_requires_grad(Handle, out var r), "requires_grad"); return r != 0; }
        set => NativeMethods.Check(NativeMethods.wb_tensor_set_requires_grad_(Handle, value ? 1 : 0), "requires_grad_");
    }

    /// <summary>Sets requires_grad and returns this tensor, for chaining.</summary>
    public Tensor RequiresGrad_(bool value = true)
    {
        RequiresGrad = value;
        return this;
    }

    // ---- reading values back -----------------------------------------------------------------

    /// <summary>The value of a one-element tensor. On CUDA this is a sync point.</summary>
    public double Item()
    {
        NativeMethods.Check(NativeMethods.wb_tensor_item_double(Handle, out var v), "item");
        return v;
    }

    public long ItemInt64()
    {
        NativeMethods.Check(NativeMethods.wb_tensor_item_int64(Handle, out var v), "item");
        return v;
    }

    /// <summary>Copies the values out, row-major; <typeparamref name="T"/> must match the dtype's size.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        var dtype = DType;
        if (sizeof(T) != dtype.ElementSize())
            throw new InvalidOperationException($"a {dtype.TorchName()} tensor cannot be read as {typeof(T).Name}");
        var result = new T[NumElements];
        fixed (T* p = result)
            NativeMethods.Check(NativeMethods.wb_tensor_copy_to(Handle, p, (long)result.Length * sizeof(T)), "copy_to");
        return result;
    }

    /// <summary>The raw little-endian bytes of the values, row-major, in this tensor's dtype.</summary>
    public byte[] ToBytes()
    {
        var result = new byte[NumElements * DType.ElementSize()];
        fixed (byte* p = result)
            NativeMethods.Check(NativeMethods.wb_tensor_copy_to(Handle, p, result.Length), "copy_to");
        return result;
    }

    /// <summary>The values as float32 (converting from any dtype).</summary>
    public float[] ToFloatArray()
    {
        if (DType == ScalarType.Float32) return ToArray<float>();
        using var f = To(ScalarType.Float32);
        return f.ToArray<float>();
    }

    // ---- conversion --------------------------------------------------------------------------

    public Tensor To(ScalarType dtype) => To(dtype, Device);

    public Tensor To(Device device) => To(DType, device);

    public Tensor To(ScalarType dtype, Device device, bool copy = false)
    {
        NativeMethods.Check(NativeMethods.wb_tensor_to(Handle, (int)dtype, (int)device.Type, device.Index, copy ? 1 : 0, out var h), "to");
        return new Tensor(h);
    }

    public Tensor Clone() => Wrap(NativeMethods.wb_tensor_clone(Handle, out var h), h, "clone");

    /// <summary>A tensor sharing storage, cut from the autograd graph.</summary>
    public Tensor Detach() => Wrap(NativeMethods.wb_tensor_detach(Handle, out var h), h, "detach");

    public Tensor Contiguous() => Wrap(NativeMethods.wb_tensor_contiguous(Handle, out var h), h, "contiguous");

    /// <summary>
    /// Swaps this tensor's data for <paramref name="source"/>'s (device and dtype included), keeping this
    /// handle: how a module moves its parameters without invalidating references to them.
    /// </summary>
    public void SetData_(Tensor source) => NativeMethods.Check(NativeMethods.wb_tensor_set_data_(Handle, source.Handle), "set_data");

    /// <summary>Copies <paramref name="source"/>'s values into this tensor (broadcasting, casting, across devices).</summary>
    public Tensor CopyFrom_(Tensor source)
    {
        NativeMethods.Check(NativeMethods.wb_tensor_copy_(Handle, source.Handle), "copy_");
        return this;
    }

    public override string ToString() => $"Tensor[{string.Join(", ", Shape)}] {DType.TorchName()} on {Device}";

    internal static long Numel(ReadOnlySpan<long> shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        return n;
    }

    /// <summary>Checks a native status and wraps the handle it produced.</summary>
    internal static Tensor Wrap(int status, IntPtr handle, string op)
    {
        NativeMethods.Check(status, op);
        return new Tensor(handle);
    }
}
