// Encoded conversations as the tensors the chat stages feed a GPT: shifted inputs, targets and the mask
// of trained targets (SFT, DPO), or whole right-padded rows and their lengths (the reward model, which
// scores each row at its last real token).
using Workbench.Data.Chat;
using Workbench.Torch;

namespace Workbench.Experiments.Stages;

internal static class ChatTensors
{
    /// <summary>(R, T) inputs, (R, T) targets (0 where untrained) and the (R, T) bool mask of trained targets.</summary>
    public static (Tensor Inputs, Tensor Targets, Tensor Mask) Shifted(TokenBatch batch, Device device) =>
        (Tensor.FromSpan<long>(batch.Inputs.Select(i => (long)i).ToArray(), ScalarType.Int64, [batch.Rows, batch.Columns], device),
         Tensor.FromSpan<long>(batch.Targets.Select(t => (long)Math.Max(t, 0)).ToArray(), ScalarType.Int64, [batch.Rows, batch.Columns], device),
         Tensor.FromSpan<bool>(batch.Targets.Select(t => t != TokenBatch.IgnoreIndex).ToArray(), ScalarType.Bool, [batch.Rows, batch.Columns], device));

    /// <summary>(R, T) whole rows right-padded with <paramref name="padId"/>, and (R) their lengths.</summary>
    public static (Tensor Ids, Tensor Lengths) Whole(IReadOnlyList<ChatExample> rows, int padId, Device device)
    {
        var width = rows.Max(r => r.Length);
        var ids = new long[rows.Count * width];
        Array.Fill(ids, padId);
        for (var r = 0; r < rows.Count; r++)
            for (var t = 0; t < rows[r].Length; t++) ids[r * width + t] = rows[r].Ids[t];
        return (Tensor.FromSpan<long>(ids, ScalarType.Int64, [rows.Count, width], device),
                Tensor.FromSpan<long>(rows.Select(r => (long)r.Length).ToArray(), ScalarType.Int64, [rows.Count], device));
    }
}
