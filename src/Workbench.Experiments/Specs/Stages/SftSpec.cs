// train.sft: supervised fine-tuning's keys.
namespace Workbench.Experiments.Specs;

/// <param name="Packing">
/// Pack conversations back to back into rows of block_size tokens (no padding; an example may be split
/// across two rows) instead of one right-padded conversation per row.
/// </param>
public sealed record SftSpec(bool Packing) : StageSpec
{
    public static readonly IReadOnlyList<string> Keys = ["packing"];

    internal static StageSpec Read(SpecSection sft) => new SftSpec(sft.Bool("packing", false));

    internal override void Write(Mapping map) => map.Add("packing", Packing);
}
