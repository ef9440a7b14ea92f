// Runs that differ only by seed share a group hash; reports show each such group as one curve and one row.
namespace Workbench.Reports;

/// <summary>Runs with the same group hash (the same resolved spec but for the seed), in input order.</summary>
public sealed record SeedGroup(string GroupHash, IReadOnlyList<ReportRun> Runs)
{
    /// <summary>True when there is more than one seed to average over.</summary>
    public bool IsSeedGroup => Runs.Count > 1;

    /// <summary>The first run's name, with the seed count when there are several.</summary>
    public string Label => IsSeedGroup ? $"{Runs[0].Name} ({Runs.Count} seeds)" : Runs[0].Name;
}

public static class SeedGroups
{
    /// <summary>Groups runs by group hash, in order of each group's first run; runs keep their order inside.</summary>
    public static IReadOnlyList<SeedGroup> Group(IEnumerable<ReportRun> runs)
    {
        var order = new List<string>();
        var members = new Dictionary<string, List<ReportRun>>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            if (!members.TryGetValue(run.GroupHash, out var list))
            {
                members[run.GroupHash] = list = [];
                order.Add(run.GroupHash);
            }
            list.Add(run);
        }
        return order.Select(hash => new SeedGroup(hash, members[hash])).ToList();
    }
}
