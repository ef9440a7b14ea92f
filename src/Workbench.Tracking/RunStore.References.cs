// How a user names a run on the command line: an id, a unique id prefix, a name (its latest run),
// name@latest or name@best.
using Microsoft.EntityFrameworkCore;
using Workbench.Tracking.Schema;

namespace Workbench.Tracking;

public sealed partial class RunStore
{
    /// <summary>
    /// Finds the run a reference names. Tried in order: an exact id, a run name (its latest run), a
    /// unique id prefix. <c>name@latest</c> and <c>name@best</c> pick among the runs of that name;
    /// best ranks by the latest run's metric name and goal, using each run's summary value for it.
    /// </summary>
    /// <exception cref="RunNotFoundException">Nothing matches.</exception>
    /// <exception cref="AmbiguousRunReferenceException">An id prefix matches several runs.</exception>
    public RunRecord Resolve(string reference)
    {
        var text = reference.Trim();
        if (text.Length == 0)
        {
            throw new RunNotFoundException(reference, "the run reference is empty; give an id, an id prefix or a run name");
        }

        var at = text.LastIndexOf('@');
        if (at > 0)
        {
            var name = text[..at];
            return text[(at + 1)..] switch
            {
                "latest" => LatestNamed(name) ?? throw NoRunNamed(reference, name),
                "best" => BestNamed(reference, name),
                var selector => throw new RunNotFoundException(reference,
                    $"run reference '{reference}': unknown selector '@{selector}'; use {name}@latest or {name}@best"),
            };
        }

        if (TryGet(text) is { } exact)
        {
            return exact;
        }
        if (LatestNamed(text) is { } named)
        {
            return named;
        }
        var candidates = Use(db => db.Runs.AsNoTracking()
            .Where(r => r.Id.StartsWith(text))
            .OrderBy(r => r.Id)
            .Select(r => r.Id)
            .ToList());
        return candidates.Count switch
        {
            1 => Get(candidates[0]),
            0 => throw new RunNotFoundException(reference,
                $"no run matches '{reference}' in {Database}: it is not a run id, id prefix or run name; `workbench ls` lists the runs"),
            _ => throw new AmbiguousRunReferenceException(reference, candidates),
        };
    }

    private RunRecord? LatestNamed(string name)
    {
        var row = Use(db => db.Runs.AsNoTracking()
            .Where(r => r.Name == name)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
            .FirstOrDefault());
        return row is null ? null : ToRecord(row);
    }

    private RunRecord BestNamed(string reference, string name)
    {
        var runs = Use(db => db.Runs.AsNoTracking()
            .Where(r => r.Name == name)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
            .ToList());
        if (runs.Count == 0)
        {
            throw NoRunNamed(reference, name);
        }

        // The newest run says what "best" means, so a changed primary metric takes effect at once.
        var metric = runs[0].MetricName;
        var goal = runs[0].MetricGoal;
        RunRow? best = null;
        var bestValue = double.NaN;
        foreach (var run in runs.Where(r => r.MetricName == metric))
        {
            if (RunRows.ParseSummary(run.SummaryJson).TryGetValue(metric, out var value)
                && double.IsFinite(value)
                && (best is null || goal.IsBetter(value, bestValue)))
            {
                best = run;
                bestValue = value;
            }
        }
        return best is null
            ? throw new RunNotFoundException(reference,
                $"run reference '{reference}': no run named '{name}' has a finite '{metric}' in its summary yet")
            : ToRecord(best);
    }

    private RunNotFoundException NoRunNamed(string reference, string name) =>
        new(reference, $"run reference '{reference}': no run named '{name}' in {Database}; `workbench ls` lists the runs");
}
