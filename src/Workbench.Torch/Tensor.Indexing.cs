// Indexing by tensors: selecting, gathering, scattering, masked fills, top-k, sampling, one-hot.
// Index tensors are int64, as in PyTorch.
using Workbench.Torch.Native;

namespace Workbench.Torch;

public sealed partial class Tensor
{
    private static readonly string[] IndexOpNames = ["index_select", "gather", "scatter", "scatter_add", "index_add"];

    private Tensor IndexCall(IndexOp op, long dim, Tensor index, Tensor? source)
    {
        var result = Wrap(NativeMethods.wb_index_op(op, Handle, dim, index.Handle, Functional.Optional(source), out var h), h, IndexOpNames[(int)op]);
        GC.KeepAlive(source);
        return result;
    }

    /// <summary>The entries of <paramref name="dim"/> listed in the 1-D <paramref name="index"/>, in its order.</summary>
    public Tensor IndexSelect(long dim, Tensor index) => IndexCall(IndexOp.IndexSelect, dim, index, null);

    /// <summary>out[i][j] = this[index[i][j]][j] for dim 0 (and so on): index has this tensor's rank.</summary>
    public Tensor Gather(long dim, Tensor index) => IndexCall(IndexOp.Gather, dim, index, null);

    /// <summary>A copy with source's values written at index along dim (the inverse of Gather).</summary>
    public Tensor Scatter(long dim, Tensor index, Tensor source) => IndexCall(IndexOp.Scatter, dim, index, source);

    /// <summary>A copy with source's values added at index along dim (repeated indices accumulate).</summary>
    public Tensor ScatterAdd(long dim, Tensor index, Tensor source) => IndexCall(IndexOp.ScatterAdd, dim, index, source);

    /// <summary>A copy with source's slices added to the entries of dim listed in the 1-D index.</summary>
    public Tensor IndexAdd(long dim, Tensor index, Tensor source) => IndexCall(IndexOp.IndexAdd, dim, index, source);

    /// <summary>A copy with <paramref name="value"/> wherever the bool <paramref name="mask"/> (broadcast) is true.</summary>
    public Tensor MaskedFill(Tensor mask, double value) =>
        Wrap(NativeMethods.wb_masked_fill(Handle, mask.Handle, value, out var h), h, "masked_fill");

    /// <summary>The k largest (or smallest) values along <paramref name="dim"/> and their indices.</summary>
    public (Tensor Values, Tensor Indices) TopK(long k, long dim = -1, bool largest = true, bool sorted = true)
    {
        NativeMethods.Check(NativeMethods.wb_topk(Handle, k, dim, largest ? 1 : 0, sorted ? 1 : 0, out var v, out var i), "topk");
        return (new Tensor(v), new Tensor(i));
    }

    /// <summary>
    /// Draws <paramref name="samples"/> category indices per row of these non-negative weights (1-D or 2-D),
    /// from the global generator (seeded by Torch.ManualSeed).
    /// </summary>
    public Tensor Multinomial(long samples, bool replacement = false) =>
        Wrap(NativeMethods.wb_multinomial(Handle, samples, replacement ? 1 : 0, out var h), h, "multinomial");

    /// <summary>int64 class indices (*) -> (*, numClasses) of 0/1; -1 infers max + 1.</summary>
    public Tensor OneHot(long numClasses = -1) => Wrap(NativeMethods.wb_one_hot(Handle, numClasses, out var h), h, "one_hot");
}
