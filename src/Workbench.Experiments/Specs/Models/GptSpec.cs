// Model kind `gpt`: a decoder-only transformer as nanoGPT's model.py (pre-norm blocks, tied embedding
// and head, GELU MLP, optional biases).
using Workbench.Models;
using Workbench.Torch.Nn;

namespace Workbench.Experiments.Specs;

public sealed record GptSpec(int NLayer, int NHead, int NEmbd, int BlockSize, double Dropout, bool Bias) : LanguageModelSpec("gpt", BlockSize)
{
    public static readonly IReadOnlyList<string> Keys = ["n_layer", "n_head", "n_embd", "block_size", "dropout", "bias"];

    internal static ModelSpec Read(SpecSection model)
    {
        var spec = new GptSpec(
            model.Int("n_layer", 4, ModelKeys.Positive),
            model.Int("n_head", 4, ModelKeys.Positive),
            model.Int("n_embd", 128, ModelKeys.Positive),
            model.Int("block_size", 64, ModelKeys.Positive),
            model.Number("dropout", 0.0, Bound.Fraction),
            model.Bool("bias", false));
        if (spec.NEmbd % spec.NHead != 0)
            model.Error(model.Has("n_embd") ? "n_embd" : "n_head",
                        $"n_embd ({spec.NEmbd}) must be divisible by n_head ({spec.NHead}): each head gets n_embd / n_head channels");
        return spec;
    }

    internal override void Write(Mapping map)
    {
        map.Add("n_layer", (long)NLayer);
        map.Add("n_head", (long)NHead);
        map.Add("n_embd", (long)NEmbd);
        map.Add("block_size", (long)BlockSize);
        map.Add("dropout", Dropout);
        map.Add("bias", Bias);
    }

    public GptConfig Config(int vocabSize) => new(vocabSize, BlockSize, NLayer, NHead, NEmbd, Dropout, Bias);

    public override Layer Build(int vocabSize) => new Gpt(Config(vocabSize));
}
