// Embedding: a lookup table of D-dim rows for V token ids, initialised N(0, 1) as PyTorch does.
namespace Workbench.Torch.Nn;

public sealed class Embedding : Layer
{
    public Embedding(long numEmbeddings, long embeddingDim, long? paddingIdx = null)
    {
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        if (paddingIdx is { } p && (p < -numEmbeddings || p >= numEmbeddings))
            throw new ArgumentOutOfRangeException(nameof(paddingIdx), paddingIdx, $"padding index must be within the {numEmbeddings} embeddings");
        PaddingIdx = paddingIdx is { } q && q < 0 ? q + numEmbeddings : paddingIdx;
        var weight = Tensor.Randn([numEmbeddings, embeddingDim]);  // (V, D)
        if (PaddingIdx is { } row)
        {
            using var padding = weight.Narrow(0, row, 1);
            padding.Zero_();
        }
        Weight = RegisterParameter("weight", weight);
    }

    public long NumEmbeddings { get; }
    public long EmbeddingDim { get; }
    public long? PaddingIdx { get; }
    public Tensor Weight { get; }

    // (*) int64 -> (*, D)
    public override Tensor Forward(Tensor input) => Functional.Embedding(input, Weight, PaddingIdx);
}
