// The spec keys that take a run reference and, in a pipeline, may name an earlier stage instead:
// `init_from: {stage: sft}` becomes the id of the run stage `sft` produced for the same seed, and so does
// PPO's `reward_model: {stage: reward}`.
using Workbench.Experiments.Specs;

namespace Workbench.Experiments.Pipelines;

internal static class StageReferences
{
    public const string InitFrom = "train.init_from";

    private const string StageKey = "stage";

    public const string RewardModel = "train.ppo." + PpoSpec.RewardModelKey;

    public static readonly string[] Keys = [InitFrom, RewardModel];

    /// <summary>
    /// Each reference key written as `{stage: NAME}` in <paramref name="tree"/>, with the NAME node (for
    /// its place in the file). A mapping of another shape at such a key is an error.
    /// </summary>
    public static Dictionary<string, ScalarNode> Find(MappingNode tree, List<SpecError> errors)
    {
        var found = new Dictionary<string, ScalarNode>(StringComparer.Ordinal);
        foreach (var key in Keys)
        {
            if (ValueAt(tree, key) is not MappingNode reference) continue;
            if (reference.Entries is [{ Key.Text: StageKey, Value: ScalarNode name }] && ScalarType.Of(name) == ScalarKind.String)
                found[key] = name;
            else
                errors.Add(reference.Mark.Error(key, "expected a run reference, or {stage: NAME} naming an earlier stage of the pipeline"));
        }
        return found;
    }

    private static SpecNode? ValueAt(MappingNode tree, string dottedKey)
    {
        SpecNode? node = tree;
        foreach (var key in dottedKey.Split('.'))
            node = (node as MappingNode)?.Find(key)?.Value;
        return node;
    }
}
