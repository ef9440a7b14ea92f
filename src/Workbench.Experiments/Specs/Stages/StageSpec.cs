// A stage's own keys, under train.<stage> (train.sft.packing, train.dpo.beta): a closed hierarchy
// with one record per stage that has keys, each with its reader and writer in its own file, named
// by the stage's catalog line (Catalog/StageTable.cs).
namespace Workbench.Experiments.Specs;

public abstract record StageSpec
{
    /// <summary>Writes the stage's keys in the order of its catalog line's key list.</summary>
    internal abstract void Write(Mapping map);
}
