// How a data-parallel run was launched, kept as parallel.json in its folder: `show` prints it, and a
// reader can tell which seed each rank's dropout and sampling started from.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workbench.Experiments.Runs;

/// <param name="RankSeeds">The seed of each rank's generator when training (re)started at <paramref name="FromStep"/>.</param>
public sealed record ParallelRecord(
    [property: JsonPropertyName("world_size")] int WorldSize,
    [property: JsonPropertyName("backend")] string Backend,
    [property: JsonPropertyName("nodes")] int Nodes,
    [property: JsonPropertyName("hosts")] IReadOnlyList<string> Hosts,
    [property: JsonPropertyName("rank_seeds")] IReadOnlyList<long> RankSeeds,
    [property: JsonPropertyName("from_step")] long FromStep)
{
    public const string FileName = "parallel.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Indented);

    /// <summary>The record in a run's folder, or null for a run that ran in one process.</summary>
    public static ParallelRecord? Read(string runDir)
    {
        var path = Path.Combine(runDir, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<ParallelRecord>(File.ReadAllText(path)) : null;
    }

    /// <summary>One line for `show`: "2 ranks (gloo) on 1 node: host-a x2".</summary>
    public string Describe() =>
        $"{WorldSize} ranks ({Backend}) on {Nodes} node{(Nodes == 1 ? "" : "s")}: " +
        string.Join(", ", Hosts.GroupBy(h => h).Select(g => $"{g.Key} x{g.Count()}"));
}
