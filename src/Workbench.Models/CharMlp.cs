// Bengio et al. (2003) neural language model, as in makemore part 2: the previous block_size tokens
// are embedded, concatenated, passed through tanh hidden layer(s) (optionally batch-normed), and a
// final Linear gives the logits of the next token.
using Workbench.Torch;
using Workbench.Torch.Nn;

namespace Workbench.Models;

public sealed class CharMlp : Layer
{
    private readonly Embedding _embedding;
    private readonly List<(Linear Linear, BatchNorm1d? Norm)> _hidden = [];
    private readonly Linear _output;
    private readonly ActivationKind _activation;

    public CharMlp(int vocabSize, int blockSize, int embeddingSize, IReadOnlyList<int> hidden, bool batchNorm, ActivationKind activation)
    {
        VocabSize = vocabSize;
        BlockSize = blockSize;
        _activation = activation;
        _embedding = RegisterModule("wte", new Embedding(vocabSize, embeddingSize));
        var width = blockSize * embeddingSize;
        for (var i = 0; i < hidden.Count; i++)
        {
            // With batch norm the bias is redundant (the norm's shift replaces it), as in makemore.
            var linear = RegisterModule($"fc{i}", new Linear(width, hidden[i], bias: !batchNorm));
            var norm = batchNorm ? RegisterModule($"bn{i}", new BatchNorm1d(hidden[i])) : null;
            _hidden.Add((linear, norm));
            width = hidden[i];
        }
        _output = RegisterModule("out", new Linear(width, vocabSize));
    }

    public int VocabSize { get; }

    public int BlockSize { get; }

    // (B, block_size) token ids -> (B, vocab) logits of the next token
    public override Tensor Forward(Tensor context)
    {
        var x = _embedding.Forward(context).Flatten(1);                 // (B, block_size * n_embd)
        foreach (var (linear, norm) in _hidden)
        {
            x = linear.Forward(x);
            if (norm != null) x = norm.Forward(x);
            x = _activation.Apply(x);
        }
        return _output.Forward(x);
    }
}
