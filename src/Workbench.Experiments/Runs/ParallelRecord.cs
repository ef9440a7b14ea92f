// How a data-parallel run was launched, kept as parallel.json in its folder: `show` prints it, and a
// reader can tell which seed each rank's dropout and sampling started from.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Workbench.Tracking;

namespace Workbench.Experiments.Runs;

/// <param name="RankSeeds">The seed of each rank's generator when training (re)started at <paramref name="FromStep"/>.</param>
public sealed record ParallelRecord(
    [property: JsonPropertyName("world_size")] int WorldSize,
    [property: JsonPropertyName("backend")] string? Backend,
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

    /// <summary>
    /// How <paramref name="run"/> was trained: its parallel.json; where its folder is on another machine (a server
    /// store), the world size its command line asked for (`--nproc N --nnodes M`), backend unknown; else one process.
    /// </summary>
    public static ParallelRecord Of(RunRecord run)
    {
        if (Read(run.RunDir) is { } record) return record;
        var args = run.CommandLine.Split(' ');
        int? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length
                                    && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        if (!Directory.Exists(run.RunDir) && Option("--nproc") is { } nproc)
        {
            var nodes = Option("--nnodes") ?? 1;
            return new ParallelRecord(nproc * nodes, null, nodes, [], [], 0);
        }
        return new ParallelRecord(1, null, 1, [run.Host], [run.Seed], 0);
    }

    /// <summary>One line for `show`: "2 ranks (gloo) on 1 node: host-a x2", or "1 process" for a run that was not data-parallel.</summary>
    public string Describe() =>
        WorldSize == 1 && Backend is null ? "1 process (world size 1)"
        : $"{WorldSize} ranks ({Backend ?? "backend not known here"}) on {Nodes} node{(Nodes == 1 ? "" : "s")}" +
          (Hosts.Count == 0 ? "" : ": " + string.Join(", ", Hosts.GroupBy(h => h).Select(g => $"{g.Key} x{g.Count()}")));
}
