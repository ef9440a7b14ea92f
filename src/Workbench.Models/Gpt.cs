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
    public override Tensor Forward(Tensor idx) => Head(Hidden(idx));

    /// <summary>
    /// (B, T) token ids -> (B, T, C) hidden states after the final LayerNorm, what the output head reads (and a value
    /// or reward head would). Without the optional arguments: positions 0..T-1 and causal attention, as in training.
    /// <paramref name="positions"/> (B, T) int64 places each token (left-padded prompts start their text at 0);
    /// <paramref name="mask"/> (B, 1, T, S) bool says which of the S keys (cached then new) each query attends to,
    /// needed when sequences carry padding; <paramref name="cache"/> supplies the keys and values of the positions
    /// before these and receives theirs. A cached step without a mask attends to every cached position.
    /// </summary>
    public Tensor Hidden(Tensor idx, Tensor? positions = null, Tensor? mask = null, KvCache? cache = null)
    {
        var t = idx.Size(1);
        var past = cache?.Length ?? 0;
        if (past + t > Config.BlockSize)
            throw new ArgumentException($"a sequence of {past + t} tokens is longer than block_size {Config.BlockSize}");
        if (cache is not null && (cache.Layers != _blocks.Count || cache.Batch != idx.Size(0) || past + t > cache.Capacity))
            throw new ArgumentException($"the cache holds {cache.Capacity} positions of {cache.Batch} sequences for {cache.Layers} layers; " +
                                        $"this step needs {past + t} of {idx.Size(0)} for {_blocks.Count}");
        if (past > 0 && t > 1 && mask is null)
            throw new ArgumentException("several new tokens after cached ones need a mask saying what each attends to");
        var pos = positions ?? Tensor.Arange(past, past + t, 1, ScalarType.Int64, idx.Device);    // (B, T) or (T)
        var x = _wte.Forward(idx) + _wpe.Forward(pos);                                           // (B, T, C)
        if (Config.Dropout > 0) x = Functional.Dropout(x, Config.Dropout, Training);
        for (var i = 0; i < _blocks.Count; i++) x = _blocks[i].Forward(x, mask, cache, i);
        cache?.Advance((int)t);
        return _lnF.Forward(x);
    }

    /// <summary>(B, T, C) hidden states -> (B, T, vocab) logits through the tied head.</summary>
    public Tensor Head(Tensor hidden) => Functional.Linear(hidden, _wte.Weight);

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
    public override Tensor Forward(Tensor x) => Forward(x, null, null, 0);

    public Tensor Forward(Tensor x, Tensor? mask, KvCache? cache, int layer)
    {
        x = x + _attn.Forward(_ln1.Forward(x), mask, cache, layer);
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
    public override Tensor Forward(Tensor x) => Forward(x, null, null, 0);

    // (B, T, C) -> (B, T, C); with a cache the queries attend to its S - T earlier keys too, per the (B, 1, T, S) mask
    public Tensor Forward(Tensor x, Tensor? mask, KvCache? cache, int layer)
    {
        long b = x.Size(0), t = x.Size(1), c = x.Size(2), hs = c / _heads;
        if (cache is null && mask is null && (_dropout == 0 || !Training))
            return _proj.Forward(Functional.CausalSelfAttention(_qkv.Forward(x), _heads));  // (B, T, C); dropout 0 here
        var qkv = _qkv.Forward(x).Split(c, 2);                                   // 3 x (B, T, C)
        Tensor Heads(Tensor m) => m.View(b, t, _heads, hs).Transpose(1, 2);      // (B, nh, T, hs)
        var (k, v) = (Heads(qkv[1]), Heads(qkv[2]));
        if (cache is not null) (k, v) = cache.Append(layer, k, v);              // (B, nh, S, hs)
        // Causal by position only when queries and keys are the same T positions (no earlier cached ones).
        var causal = mask is null && k.Size(2) == t;
        var y = Functional.ScaledDotProductAttention(Heads(qkv[0]), k, v, mask,
            dropoutP: Training ? _dropout : 0, isCausal: causal);                // (B, nh, T, hs)
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
