// A stage's own keys, under train.<stage> (train.sft.packing, train.dpo.beta): a closed hierarchy
// with one record per stage that has keys, each with its reader and writer in its own file, named
// by the stage's catalog line (Catalog/StageTable.cs).
namespace Workbench.Experiments.Specs;

public abstract record StageSpec
{
    /// <summary>Writes the stage's keys in the order of its catalog line's key list.</summary>
    internal abstract void Write(Mapping map);

    /// <summary>
    /// This stage's keys with each run reference they hold (PPO's reward_model) resolved to a run id by
    /// <paramref name="resolve"/>(reference, key), as train.init_from is: the stored spec names the run, not a
    /// reference that moves on ("name@latest"), and its hash tells apart runs that read different ones.
    /// </summary>
    internal virtual StageSpec PinRuns(Func<string, string, string> resolve) => this;

    /// <summary>Reports keys that do not fit the rest of train (grpo's num_generations and batch_size) as errors in <paramref name="section"/>.</summary>
    internal virtual void Check(SpecSection section, TrainSpec train) { }
}
