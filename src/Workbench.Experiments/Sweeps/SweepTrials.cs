// Between the store's trial rows and what samplers and pruning read: parameters as stored JSON (each
// value as the text `--set` takes), trial states, and a trial's score from its seeds' runs.
using System.Text.Json.Nodes;
using Workbench.Tracking;

namespace Workbench.Experiments.Sweeps;

public static class SweepTrials
{
    /// <summary>Parameters as a JSON object from spec path to the value's `--set` text, e.g. {"train.optimizer.lr":"0.001"}.</summary>
    public static string ParametersJson(IReadOnlyDictionary<string, object> parameters) =>
        new JsonObject(parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)SweepValue.Format(p.Value)))).ToJsonString();

    /// <summary>Reads <see cref="ParametersJson"/>, in stored order.</summary>
    public static IReadOnlyDictionary<string, object> Parameters(string json) =>
        JsonNode.Parse(json)!.AsObject().ToDictionary(p => p.Key, p => SweepValue.Parse(p.Value!.GetValue<string>()));

    /// <summary>The stored trials as samplers and pruning see them, with each trial's rung values.</summary>
    public static IReadOnlyList<TrialObservation> Observe(IReadOnlyList<TrialRecord> trials, IReadOnlyList<RungRecord> rungs)
    {
        var byTrial = rungs.GroupBy(r => r.TrialNumber).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<long, double>)g.ToDictionary(r => r.Step, r => r.Value));
        return trials.Select(t => new TrialObservation(t.Number, Parameters(t.ParametersJson), State(t.Status), t.Score,
            byTrial.GetValueOrDefault(t.Number))).ToList();
    }

    public static TrialState State(TrialStatus status) => status switch
    {
        TrialStatus.Pending => TrialState.Pending,
        TrialStatus.Running => TrialState.Running,
        TrialStatus.Completed => TrialState.Completed,
        TrialStatus.Pruned => TrialState.Pruned,
        _ => TrialState.Failed,
    };

    /// <summary>The mean over <paramref name="runs"/> of best/&lt;metric&gt;; null when a run has none.</summary>
    public static double? Score(IReadOnlyList<RunRecord> runs, string metric)
    {
        var values = runs.Select(r => r.Summary.TryGetValue($"best/{metric}", out var v) ? v : (double?)null).ToList();
        return values.Count > 0 && values.All(v => v is not null) ? values.Average() : null;
    }
}
