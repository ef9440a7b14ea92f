// The model part of a spec: a closed hierarchy with one record per model kind. Each kind's file holds
// its record, its reader (keys, defaults, checks), its writer and how it builds the model from the
// data's shape; Catalog/ModelKindTable.cs names it. A new model kind is one file plus one catalog line.
using Workbench.Torch.Nn;

namespace Workbench.Experiments.Specs;

public abstract record ModelSpec(string Kind)
{
    /// <summary>Writes the kind's keys (after `kind`) in the order of its catalog line's key list.</summary>
    internal abstract void Write(Mapping map);
}

/// <summary>What a supervised model is sized by: features per row (their image shape when they are images) and outputs.</summary>
public sealed record SupervisedShape(int Inputs, int Outputs, Workbench.Data.ImageShape? Image);

/// <summary>A model trained by the supervised stage on rows of features.</summary>
public abstract record SupervisedModelSpec(string Kind) : ModelSpec(Kind)
{
    public abstract Layer Build(SupervisedShape shape);
}

/// <summary>A language model over a vocabulary: it reads windows of <see cref="BlockSize"/> tokens.</summary>
public abstract record LanguageModelSpec(string Kind, int BlockSize) : ModelSpec(Kind)
{
    public abstract Layer Build(int vocabSize);
}

/// <summary>Readers' shared pieces.</summary>
internal static class ModelKeys
{
    public static readonly Bound Positive = Bound.AtLeast(1);

    public static string Activation(SpecSection model, string fallback) =>
        model.Choice("activation", fallback, SpecCatalog.Activations, "activation");

    public static List<object?> Ints(IEnumerable<int> values) => values.Select(v => (object?)(long)v).ToList();
}
