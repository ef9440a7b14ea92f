// The model-kind catalog: every name `model.kind` takes, the data it fits, the stage that trains it
// from scratch, its keys and its reader (the kind's file in Specs/Models holds the rest). A new model
// kind is one file there plus one line here; a name missing from the table is an error, never a default.
using Workbench.Experiments.Specs;

namespace Workbench.Experiments.Catalog;

/// <param name="Families">The data families it can read.</param>
/// <param name="Stage">The stage that trains it from scratch: a spec's train.stage by default.</param>
/// <param name="Keys">Its keys besides `kind`, in the order they are written.</param>
public sealed record ModelKindDefinition(string Name, IReadOnlyList<DataFamily> Families, string Stage, IReadOnlyList<string> Keys, string Meaning)
{
    /// <summary>Reads the kind's keys from a spec's `model` section (the kind's own file says how).</summary>
    internal Func<SpecSection, ModelSpec> Read { get; private init; } = null!;

    internal ModelKindDefinition(string name, IReadOnlyList<DataFamily> families, string stage, IReadOnlyList<string> keys,
        Func<SpecSection, ModelSpec> read, string meaning) : this(name, families, stage, keys, meaning) => Read = read;

    public bool IsLanguageModel => Families.Contains(DataFamily.Text);

    public bool Fits(DatasetDefinition dataset) => Families.Contains(dataset.Family);
}

public static class ModelKindTable
{
    private static readonly DataFamily[] Rows = [DataFamily.Image, DataFamily.TruthTable, DataFamily.Regression];

    public static IReadOnlyList<ModelKindDefinition> All { get; } =
    [
        new("mlp", Rows, "supervised", MlpSpec.Keys, MlpSpec.Read, "fully connected layers (Keras's Glorot init)"),
        new("cnn", [DataFamily.Image], "supervised", CnnSpec.Keys, CnnSpec.Read, "convolution and pooling blocks, then fully connected layers"),
        new("perceptron", [DataFamily.TruthTable], "supervised", PerceptronSpec.Keys, PerceptronSpec.Read, "one hidden layer (the XOR exercise)"),
        new("linear", Rows, "supervised", LinearSpec.Keys, LinearSpec.Read, "one affine layer: linear or logistic regression"),
        new("char-mlp", [DataFamily.Text], "pretrain", CharMlpSpec.Keys, CharMlpSpec.Read, "Bengio's neural language model, as makemore builds it"),
        new("gpt", [DataFamily.Text, DataFamily.Chat], "pretrain", GptSpec.Keys, GptSpec.Read, "a decoder-only transformer, as nanoGPT's"),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(k => k.Name).ToList();

    public static ModelKindDefinition Get(string name) =>
        All.FirstOrDefault(k => k.Name == name) ?? throw new KeyNotFoundException($"model kind `{name}` is not in the catalog (known: {string.Join(", ", Names)})");
}
