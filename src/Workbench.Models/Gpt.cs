// The GPT of nanoGPT: token + position embeddings, n_layer pre-LayerNorm blocks of causal multi-head
// self-attention and a 4x GELU MLP, a final LayerNorm, and an output head tied to the token embedding.
// GPT-2 initialisation: N(0, 0.02) weights, zero biases, residual projections scaled by 1/sqrt(2 n_layer).
using Workbench.Torch;
using Workbench.Torch.Nn;

namespace Workbench.Models;

public sealed record GptConfig(int VocabSize, int BlockSize, int Layers, int Heads, int Embedding, double Dropout, bool Bias)
{
    /// <summary>Training FLOPs per token, as in the PaLM paper's appendix: 6N + 12 L H Q T.</summary>
    public double FlopsPerToken(long parameters) =>
        6.0 * parameters + 12.0 * Layers * Heads * (Embedding / Heads) * BlockSize;
}

public sealed class Gpt : Layer
{
    private readonly Embedding _wte;
    private readonly Embedding _wpe;
    private readonly List<GptBlock> _blocks = [];
    private readonly GptLayerNorm _lnF;

    public Gpt(GptConfig config)
    {
        Config = config;
        _wte = RegisterModule("wte", new Embedding(config.VocabSize, config.Embedding));
        _wpe = RegisterModule("wpe", new Embedding(config.BlockSize, config.Embedding));
        for (var i = 0; i < config.Layers; i++) _blocks.Add(RegisterModule($"h{i}", new GptBlock(config)));
        _lnF = RegisterModule("ln_f", new GptLayerNorm(config.Embedding, config.Bias));
        Initialise();
    }

    public GptConfig Config { get; }

    /// <summary>The output head's weight: the token embedding itself (weight tying), not a copy.</summary>
    public Tensor HeadWeight => _wte.Weight;

    /// <summary>Parameters without the position embedding, the count nanoGPT reports and uses for MFU.</summary>
    public long NonEmbeddingParameterCount() => ParameterCount() - _wpe.Weight.NumElements;

    // (B, T) token ids -> (B, T, vocab) logits
    public override Tensor Forward(Tensor idx)
    {
        var t = idx.Size(1);
        if (t > Config.BlockSize)
            throw new ArgumentException($"a sequence of {t} tokens is longer than block_size {Config.BlockSize}");
        using var pos = Tensor.Arange(0, t, 1, ScalarType.Int64, idx.Device);     // (T)
        var x = _wte.Forward(idx) + _wpe.Forward(pos);                          // (B, T, C)
        if (Config.Dropout > 0) x = Functional.Dropout(x, Config.Dropout, Training);
        foreach (var block in _blocks) x = block.Forward(x);
        x = _lnF.Forward(x);
        return Functional.Linear(x, _wte.Weight);                             // (B, T, vocab)
    }

    private void Initialise()
    {
        var projectionStd = 0.02 / Math.Sqrt(2.0 * Config.Layers);
        foreach (var (name, p) in NamedParameters())
        {
            if (name.EndsWith("c_proj.weight", StringComparison.Ordinal)) Init.Normal_(p, 0, projectionStd);
            else if (name.StartsWith("ln", StringComparison.Ordinal) || name.Contains(".ln_", StringComparison.Ordinal)) continue;
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) Init.Zeros_(p);
            else Init.Normal_(p, 0, 0.02);
        }
    }
}

/// <summary>One transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)).</summary>
internal sealed class GptBlock : Layer
{
    private readonly GptLayerNorm _ln1;
    private readonly CausalSelfAttention _attn;
    private readonly GptLayerNorm _ln2;
    private readonly Linear _fc;
    private readonly Linear _proj;
    private readonly double _dropout;

    public GptBlock(GptConfig config)
    {
        _dropout = config.Dropout;
        _ln1 = RegisterModule("ln_1", new GptLayerNorm(config.Embedding, config.Bias));
        _attn = RegisterModule("attn", new CausalSelfAttention(config));
        _ln2 = RegisterModule("ln_2", new GptLayerNorm(config.Embedding, config.Bias));
        _fc = RegisterModule("c_fc", new Linear(config.Embedding, 4 * config.Embedding, config.Bias));
        _proj = RegisterModule("c_proj", new Linear(4 * config.Embedding, config.Embedding, config.Bias));
    }

    // (B, T, C) -> (B, T, C)
    public override Tensor Forward(Tensor x)
    {
        x = x + _attn.Forward(_ln1.Forward(x));
        var h = _proj.Forward(_fc.Forward(_ln2.Forward(x)).Gelu());   // (B, T, 4C) -> (B, T, C)
        if (_dropout > 0) h = Functional.Dropout(h, _dropout, Training);
        return x + h;
    }
}

/// <summary>Multi-head causal self-attention with one fused q/k/v projection.</summary>
internal sealed class CausalSelfAttention : Layer
{
    private readonly Linear _qkv;
    private readonly Linear _proj;
    private readonly int _heads;
    private readonly double _dropout;

    public CausalSelfAttention(GptConfig config)
    {
        _heads = config.Heads;
        _dropout = config.Dropout;
        _qkv = RegisterModule("c_attn", new Linear(config.Embedding, 3 * config.Embedding, config.Bias));
        _proj = RegisterModule("c_proj", new Linear(config.Embedding, config.Embedding, config.Bias));
    }

    // (B, T, C) -> (B, T, C)
    public override Tensor Forward(Tensor x)
    {
        long b = x.Size(0), t = x.Size(1), c = x.Size(2), hs = c / _heads;
        var qkv = _qkv.Forward(x).Split(c, 2);                                   // 3 x (B, T, C)
        Tensor Heads(Tensor m) => m.View(b, t, _heads, hs).Transpose(1, 2);      // (B, nh, T, hs)
        var y = Functional.ScaledDotProductAttention(Heads(qkv[0]), Heads(qkv[1]), Heads(qkv[2]),
            dropoutP: Training ? _dropout : 0, isCausal: true);                  // (B, nh, T, hs)
        y = y.Transpose(1, 2).Contiguous().View(b, t, c);                        // (B, T, C)
        y = _proj.Forward(y);
        return _dropout > 0 ? Functional.Dropout(y, _dropout, Training) : y;
    }
}

/// <summary>LayerNorm with an optional bias (PyTorch 1.13's nn.LayerNorm cannot drop it; nanoGPT's can).</summary>
internal sealed class GptLayerNorm : Layer
{
    private readonly Tensor _weight;
    private readonly Tensor? _bias;
    private readonly long[] _shape;

    public GptLayerNorm(int size, bool bias)
    {
        _shape = [size];
        _weight = RegisterParameter("weight", Tensor.Ones(_shape));
        _bias = bias ? RegisterParameter("bias", Tensor.Zeros(_shape)) : null;
    }

    public override Tensor Forward(Tensor x) => Functional.LayerNorm(x, _shape, _weight, _bias, 1e-5);
}
