// Where a sweep stands, as `sweeps`, `sweep show` and the morning report present it: counts by state,
// the trials ranked by the sweep's metric, the best trial, and the JSON of `--json`.
using System.Globalization;
using System.Text.Json.Nodes;
using Workbench.Reports;
using Workbench.Tracking;

namespace Workbench.Experiments.Sweeps;

public sealed class SweepSummary
{
    private SweepSummary(SweepRecord sweep, IReadOnlyList<TrialRecord> trials)
    {
        Sweep = sweep;
        Definition = SweepDefinitionJson.Read(sweep.DefinitionJson);
        Trials = trials;
        var goal = Definition.Metric.Goal;
        // Scored trials best first (a pruned trial's score is its value when it stopped), then the rest by number.
        Ranked = trials.Where(t => t.Score is not null).OrderBy(t => goal == MetricGoal.Max ? -t.Score!.Value : t.Score!.Value).ThenBy(t => t.Number)
            .Concat(trials.Where(t => t.Score is null)).ToList();
        Best = Ranked.FirstOrDefault(t => t.Status == TrialStatus.Completed && t.Score is not null);
    }

    public SweepRecord Sweep { get; }
    public SweepDefinition Definition { get; }
    public IReadOnlyList<TrialRecord> Trials { get; }
    public IReadOnlyList<TrialRecord> Ranked { get; }

    /// <summary>The completed trial with the best score (pruned trials stopped early and do not count).</summary>
    public TrialRecord? Best { get; }

    /// <summary>How much of the metric each parameter explains over the completed trials (<see cref="SweepImportance"/>).</summary>
    public ImportanceTable Importance => _importance ??= SweepImportance.Of(Definition, Trials);

    private ImportanceTable? _importance;

    public static SweepSummary Read(RunStore store, string reference)
    {
        var sweep = store.GetSweep(reference);
        return new SweepSummary(sweep, store.GetTrials(sweep.Id));
    }

    public static IReadOnlyList<SweepSummary> ReadAll(RunStore store) =>
        store.ListSweeps().Select(s => new SweepSummary(s, store.GetTrials(s.Id))).ToList();

    /// <summary>
    /// finished; running while a trial runs; stopped when none does but the sweep has more to do. A trial
    /// whose process is gone or silent (kill -9 of the sweep) stays `running` in the store until a claim
    /// retries it, but does not keep the sweep running.
    /// </summary>
    public string Status => Sweep.Status == SweepStatus.Finished ? "finished"
        : Trials.Any(t => t.Status == TrialStatus.Running && t.Process?.IsGone() != true
                          && DateTime.UtcNow - t.HeartbeatAt <= RunStore.HeartbeatTimeout) ? "running" : "stopped";

    public int Count(TrialStatus status) => Trials.Count(t => t.Status == status);

    /// <summary>e.g. "12 trials: 7 completed, 4 pruned, 1 failed".</summary>
    public string Counts() => $"{Trials.Count} trial{(Trials.Count == 1 ? "" : "s")}" + (Trials.Count == 0 ? "" : ": " + string.Join(", ",
        Enum.GetValues<TrialStatus>().Where(s => Count(s) > 0).Select(s => $"{Count(s)} {s.ToName()}")));

    /// <summary>A trial's parameters as `path=value` text.</summary>
    public static string Describe(TrialRecord trial) =>
        string.Join(", ", SweepTrials.Parameters(trial.ParametersJson).Select(p => $"{p.Key}={SweepValue.Format(p.Value)}"));

    public static string? Duration(TrialRecord trial) =>
        trial.StartedAt is { } start && trial.FinishedAt is { } end ? ReportBuilder.Duration(start, end) : null;

    /// <summary>`sweeps --json`'s object for this sweep (with <paramref name="trials"/>: `sweep show --json`'s, with the importance and trials).</summary>
    public JsonObject ToJson(bool trials)
    {
        var json = new JsonObject
        {
            ["id"] = Sweep.Id,
            ["name"] = Sweep.Name,
            ["status"] = Status,
            ["source"] = Sweep.SourcePath,
            ["spec"] = Definition.SpecPath,
            ["method"] = Definition.Method.ToString().ToLowerInvariant(),
            ["metric"] = new JsonObject { ["name"] = Definition.Metric.Name, ["goal"] = Definition.Metric.Goal.ToName() },
            ["content_hash"] = Sweep.ContentHash,
            ["created_at"] = RunJson.Time(Sweep.CreatedAt),
            ["deadline_at"] = Sweep.DeadlineAt is { } deadline ? RunJson.Time(deadline) : null,
            ["budget_trials"] = Sweep.BudgetTrials,
            ["counts"] = new JsonObject(Enum.GetValues<TrialStatus>().Select(s => KeyValuePair.Create(s.ToName(), (JsonNode?)Count(s)))),
            ["best"] = Best is { } best ? Trial(best) : null,
        };
        if (trials)
        {
            json["importance"] = ImportanceJson();
            json["trials"] = new JsonArray([.. Ranked.Select(t => (JsonNode?)Trial(t))]);
        }
        return json;
    }

    // {"trials": 12, "parameters": {"train.optimizer.lr": 0.81, ...}, "method": "..."}, or "parameters": null and the reason.
    private JsonObject ImportanceJson()
    {
        var importance = Importance;
        return new JsonObject
        {
            ["trials"] = importance.Trials,
            ["parameters"] = importance.Shares is { } shares
                ? new JsonObject(shares.Select(s => KeyValuePair.Create(s.Path, (JsonNode?)Math.Round(s.Share, 4))))
                : null,
            ["reason"] = importance.Reason,
            ["method"] = ParameterImportance.Explanation,
        };
    }

    /// <summary>A swept value as JSON: numbers as numbers, booleans, strings, lists of those.</summary>
    private static JsonNode? Json(object value) => value switch
    {
        long l => JsonValue.Create(l),
        double d when double.IsFinite(d) => JsonValue.Create(d),
        double d => JsonValue.Create(SweepValue.Format(d)),
        bool b => JsonValue.Create(b),
        string s => JsonValue.Create(s),
        IEnumerable<object> list => new JsonArray([.. list.Select(Json)]),
        _ => JsonValue.Create(SweepValue.Format(value)),
    };

    private static JsonObject Trial(TrialRecord trial) => new()
    {
        ["number"] = trial.Number,
        ["status"] = trial.Status.ToName(),
        ["score"] = trial.Score,
        ["pruned_step"] = trial.PrunedStep,
        ["attempts"] = trial.Attempts,
        ["parameters"] = new JsonObject(SweepTrials.Parameters(trial.ParametersJson).Select(p => KeyValuePair.Create(p.Key, Json(p.Value)))),
        ["runs"] = new JsonObject(trial.RunIds.Select(r => KeyValuePair.Create(r.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)r.Value))),
        ["started_at"] = trial.StartedAt is { } start ? RunJson.Time(start) : null,
        ["finished_at"] = trial.FinishedAt is { } end ? RunJson.Time(end) : null,
        ["error"] = trial.Error,
    };
}
