// A stage's own keys, under train.<stage> (train.sft.packing, train.dpo.beta): a closed hierarchy
// with one record per stage that has keys, each with its reader and writer in its own file, named
// by the stage's catalog line (Catalog/StageTable.cs).
namespace Workbench.Experiments.Specs;

public abstract record StageSpec
{
    /// <summary>Writes the stage's keys in the order of its catalog line's key list.</summary>
    internal abstract void Write(Mapping map);

    /// <summary>Reports keys that do not fit the rest of train (grpo's num_generations and batch_size) as errors in <paramref name="section"/>.</summary>
    internal virtual void Check(SpecSection section, TrainSpec train) { }
}
