// Model kind `char-mlp`: Bengio et al.'s neural language model as makemore builds it: embeddings of
// block_size previous tokens, concatenated, through hidden layers (optionally batch-normed) to logits.
using Workbench.Models;
using Workbench.Torch.Nn;

namespace Workbench.Experiments.Specs;

public sealed record CharMlpSpec(int BlockSize, int NEmbd, ValueList<int> Hidden, bool BatchNorm, string Activation)
    : LanguageModelSpec("char-mlp", BlockSize)
{
    public static readonly IReadOnlyList<string> Keys = ["block_size", "n_embd", "hidden", "batch_norm", "activation"];

    internal static ModelSpec Read(SpecSection model) => new CharMlpSpec(
        model.Int("block_size", 3, ModelKeys.Positive),
        model.Int("n_embd", 10, ModelKeys.Positive),
        model.IntList("hidden", ValueList.Of(200), ModelKeys.Positive),
        model.Bool("batch_norm", false),
        ModelKeys.Activation(model, "tanh"));

    internal override void Write(Mapping map)
    {
        map.Add("block_size", (long)BlockSize);
        map.Add("n_embd", (long)NEmbd);
        map.Add("hidden", ModelKeys.Ints(Hidden));
        map.Add("batch_norm", BatchNorm);
        map.Add("activation", Activation);
    }

    public override Layer Build(int vocabSize) =>
        new CharMlp(vocabSize, BlockSize, NEmbd, Hidden.ToList(), BatchNorm, Workbench.Models.Activation.Parse(Activation));
}
