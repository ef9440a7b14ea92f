// Encoded conversations laid out as the rows a causal language model trains on: inputs and the
// next-token targets, with every target the model is not trained on set to IgnoreIndex.
namespace Workbench.Data.Chat;

/// <summary>
/// <paramref name="Inputs"/> and <paramref name="Targets"/> are (Rows, Columns), row-major. Targets[r, t]
/// is the token that follows Inputs[r, t] when the model is trained to produce it, else
/// <see cref="IgnoreIndex"/> (cross-entropy's ignore_index leaves those positions out of the mean).
/// </summary>
public sealed record TokenBatch(int Rows, int Columns, int[] Inputs, int[] Targets)
{
    /// <summary>PyTorch's and the engine's default ignore_index.</summary>
    public const int IgnoreIndex = -100;

    /// <summary>
    /// One example per row, right-padded with <paramref name="padId"/> to the longest: a row holds an
    /// example's ids but its last as inputs, and the ids after them as targets. Padding is never a target.
    /// </summary>
    public static TokenBatch Padded(IReadOnlyList<ChatExample> examples, int padId)
    {
        if (examples.Count == 0) throw new ArgumentException("a batch needs at least one example", nameof(examples));
        int columns = examples.Max(e => e.Length) - 1;
        if (columns < 1) throw new ArgumentException("every example is shorter than two tokens: there is nothing to predict", nameof(examples));
        var batch = Empty(examples.Count, columns, padId);
        for (int r = 0; r < examples.Count; r++)
            batch.Fill(r * columns, examples[r], 0, examples[r].Length);
        return batch;
    }

    /// <summary>
    /// Packing: the examples one after another as one stream, cut into rows of <paramref name="blockSize"/>
    /// inputs; the last row is padded. Every token but the first is a target exactly once, trained or
    /// not as its example says. Rows overlap by one token (a row's last target is the next row's first
    /// input). An example can cross a row boundary: its tokens in the next row are then predicted
    /// without the part of it left in the previous row as context. Within a row, attention also sees
    /// the earlier examples of that row; each starts with &lt;|im_start|&gt;, which tells them apart.
    /// </summary>
    public static TokenBatch Packed(IReadOnlyList<ChatExample> examples, int padId, int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        var stream = new ChatExample([.. examples.SelectMany(e => e.Ids)], [.. examples.SelectMany(e => e.Trained)]);
        if (stream.Length < 2) throw new ArgumentException("the examples hold fewer than two tokens: there is nothing to predict", nameof(examples));
        int rows = (stream.Length - 1 + blockSize - 1) / blockSize;
        var batch = Empty(rows, blockSize, padId);
        for (int r = 0; r < rows; r++)
        {
            int start = r * blockSize;
            batch.Fill(start, stream, start, Math.Min(blockSize + 1, stream.Length - start));
        }
        return batch;
    }

    static TokenBatch Empty(int rows, int columns, int padId)
    {
        var inputs = new int[rows * columns];
        var targets = new int[rows * columns];
        Array.Fill(inputs, padId);
        Array.Fill(targets, IgnoreIndex);
        return new(rows, columns, inputs, targets);
    }

    /// <summary>Writes tokens [from, from + count) of the example at flat offset <paramref name="at"/>: count - 1 input/target pairs.</summary>
    void Fill(int at, ChatExample example, int from, int count)
    {
        for (int t = 0; t + 1 < count; t++)
        {
            Inputs[at + t] = example.Ids[from + t];
            if (example.Trained[from + t + 1]) Targets[at + t] = example.Ids[from + t + 1];
        }
    }
}
