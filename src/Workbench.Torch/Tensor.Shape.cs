// Shape and layout: views, permutations, slicing, joining and splitting, triangles, cumulative sums.
// Views share storage with this tensor (as in PyTorch); negative dims count from the end.
using Workbench.Torch.Native;

namespace Workbench.Torch;

public sealed unsafe partial class Tensor
{
    private Tensor ShapeCall(ShapeOp op, ReadOnlySpan<long> args)
    {
        int status;
        IntPtr h;
        fixed (long* p = args) status = NativeMethods.wb_shape(op, Handle, p, args.Length, out h);
        if (status != 0) NativeMethods.Check(status, ShapeOpName(op));
        return new Tensor(h);
    }

    private static string ShapeOpName(ShapeOp op) => op == ShapeOp.SqueezeAll ? "squeeze" : OpName(op);

    /// <summary>The same values in a new shape (one dim may be -1); a view when the layout allows.</summary>
    public Tensor Reshape(params long[] shape) => ShapeCall(ShapeOp.Reshape, shape);

    /// <summary>A view in a new shape; fails on a non-contiguous layout (use Reshape or Contiguous first).</summary>
    public Tensor View(params long[] shape) => ShapeCall(ShapeOp.View, shape);

    public Tensor Permute(params long[] dims) => ShapeCall(ShapeOp.Permute, dims);

    /// <summary>Broadcasts size-1 dims to <paramref name="shape"/> without copying (-1 keeps a dim).</summary>
    public Tensor Expand(params long[] shape) => ShapeCall(ShapeOp.Expand, shape);

    public Tensor Transpose(long dim0, long dim1) => ShapeCall(ShapeOp.Transpose, [dim0, dim1]);

    /// <summary>Drops every size-1 dim.</summary>
    public Tensor Squeeze() => ShapeCall(ShapeOp.SqueezeAll, []);

    /// <summary>Drops <paramref name="dim"/> if its size is 1.</summary>
    public Tensor Squeeze(long dim) => ShapeCall(ShapeOp.Squeeze, [dim]);

    public Tensor Unsqueeze(long dim) => ShapeCall(ShapeOp.Unsqueeze, [dim]);

    public Tensor Flatten(long startDim = 0, long endDim = -1) => ShapeCall(ShapeOp.Flatten, [startDim, endDim]);

    /// <summary><paramref name="length"/> entries of <paramref name="dim"/> from <paramref name="start"/>; out of range is an error.</summary>
    public Tensor Narrow(long dim, long start, long length) => ShapeCall(ShapeOp.Narrow, [dim, start, length]);

    /// <summary>Python's <c>a[..., start:end:step]</c> on <paramref name="dim"/>: bounds are clamped, negatives count from the end.</summary>
    public Tensor Slice(long dim, long? start = null, long? end = null, long step = 1) =>
        ShapeCall(ShapeOp.Slice, [dim, start ?? 0, end ?? long.MaxValue, step]);

    /// <summary>The lower triangle of the last two dims (entries above <paramref name="diagonal"/> zeroed).</summary>
    public Tensor Tril(long diagonal = 0) => ShapeCall(ShapeOp.Tril, [diagonal]);

    /// <summary>The upper triangle of the last two dims (entries below <paramref name="diagonal"/> zeroed).</summary>
    public Tensor Triu(long diagonal = 0) => ShapeCall(ShapeOp.Triu, [diagonal]);

    public Tensor CumSum(long dim) => ShapeCall(ShapeOp.CumSum, [dim]);

    /// <summary>Joins tensors along an existing dim.</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(JoinOp.Cat, tensors, dim);

    /// <summary>Joins same-shaped tensors along a new dim.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(JoinOp.Stack, tensors, dim);

    private static Tensor Join(JoinOp op, IReadOnlyList<Tensor> tensors, long dim)
    {
        // Raw handles hold no reference: the list keeps the tensors alive until the call returns.
        var handles = new IntPtr[tensors.Count];
        for (var i = 0; i < handles.Length; i++) handles[i] = tensors[i].Handle.DangerousGetHandle();
        fixed (IntPtr* p = handles)
        {
            var result = Wrap(NativeMethods.wb_join(op, p, handles.Length, dim, out var h), h, OpName(op));
            GC.KeepAlive(tensors);
            return result;
        }
    }

    /// <summary>Pieces of <paramref name="size"/> entries along <paramref name="dim"/> (the last may be shorter).</summary>
    public Tensor[] Split(long size, long dim = 0)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "split size must be positive");
        return SplitCall(SplitOp.Split, [size], dim, (Size((int)dim) + size - 1) / size, "split");
    }

    /// <summary>Pieces of the given sizes along <paramref name="dim"/>; they must add up to its size.</summary>
    public Tensor[] Split(long[] sizes, long dim = 0) => SplitCall(SplitOp.SplitSizes, sizes, dim, sizes.Length, "split");

    /// <summary>At most <paramref name="chunks"/> near-equal pieces along <paramref name="dim"/>, as torch.chunk.</summary>
    public Tensor[] Chunk(long chunks, long dim = 0)
    {
        if (chunks <= 0) throw new ArgumentOutOfRangeException(nameof(chunks), chunks, "chunk count must be positive");
        return SplitCall(SplitOp.Chunk, [chunks], dim, chunks, "chunk");
    }

    private Tensor[] SplitCall(SplitOp op, ReadOnlySpan<long> sizes, long dim, long capacity, string name)
    {
        var handles = new IntPtr[Math.Max(capacity, 1)];
        long count;
        fixed (long* s = sizes)
        fixed (IntPtr* p = handles)
            NativeMethods.Check(NativeMethods.wb_split(op, Handle, s, sizes.Length, dim, p, handles.Length, out count), name);
        var pieces = new Tensor[count];
        for (var i = 0; i < pieces.Length; i++) pieces[i] = new Tensor(handles[i]);
        return pieces;
    }

    /// <summary>Softmax along <paramref name="dim"/>.</summary>
    public Tensor Softmax(long dim) => Functional.Softmax(this, dim);

    /// <summary>Log-softmax along <paramref name="dim"/> (stable: use it rather than Softmax().Log()).</summary>
    public Tensor LogSoftmax(long dim) => Functional.LogSoftmax(this, dim);
}
