// A sweep definition as the store keeps it (sweeps.definition_json): everything an agent on any machine
// needs to draw trials and a trial's run needs to prune, without the sweep file. Swept values are kept
// as the text `--set` takes (SweepValue), so a long stays a long and a list a list.
using System.Globalization;
using System.Text.Json.Nodes;
using Workbench.Tracking;

namespace Workbench.Experiments.Sweeps;

public static class SweepDefinitionJson
{
    public static string Write(SweepDefinition sweep) => new JsonObject
    {
        ["source"] = sweep.SourcePath,
        ["spec"] = sweep.SpecPath,
        ["set"] = Array(sweep.Set.Select(s => (JsonNode?)s)),
        ["method"] = sweep.Method.ToString().ToLowerInvariant(),
        ["metric"] = new JsonObject { ["name"] = sweep.Metric.Name, ["goal"] = sweep.Metric.Goal.ToName() },
        ["parameters"] = Array(sweep.Parameters.Select(p => (JsonNode?)new JsonObject
        {
            ["path"] = p.Path,
            ["kind"] = p.Kind.ToString(),
            ["values"] = p.Values is null ? null : Array(p.Values.Select(v => (JsonNode?)SweepValue.Format(v))),
            ["min"] = p.Min,
            ["max"] = p.Max,
        })),
        ["seeds"] = Array(sweep.Seeds.Select(s => (JsonNode?)s)),
        ["budget"] = new JsonObject
        {
            ["trials"] = sweep.Budget.Trials,
            ["hours"] = sweep.Budget.Hours,
            ["until"] = sweep.Budget.Until?.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
        },
        ["early_terminate"] = sweep.EarlyTerminate is { } rule
            ? new JsonObject { ["type"] = rule.Type.ToString(), ["min_steps"] = rule.MinSteps, ["reduction_factor"] = rule.ReductionFactor }
            : null,
        ["retries"] = sweep.Retries,
        ["seed"] = sweep.Seed,
        ["content_hash"] = sweep.ContentHash,
    }.ToJsonString();

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    public static SweepDefinition Read(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var metric = root["metric"]!;
        var budget = root["budget"]!;
        var rule = root["early_terminate"];
        return new SweepDefinition(
            root["source"]!.GetValue<string>(),
            root["spec"]!.GetValue<string>(),
            root["set"]!.AsArray().Select(s => s!.GetValue<string>()).ToList(),
            Enum.Parse<SweepMethod>(root["method"]!.GetValue<string>(), ignoreCase: true),
            new SweepMetric(metric["name"]!.GetValue<string>(), MetricGoals.Parse(metric["goal"]!.GetValue<string>())),
            root["parameters"]!.AsArray().Select(p => new SweepParameter(
                p!["path"]!.GetValue<string>(),
                Enum.Parse<ParameterKind>(p["kind"]!.GetValue<string>()),
                p["values"]?.AsArray().Select(v => SweepValue.Parse(v!.GetValue<string>())).ToList(),
                p["min"]!.GetValue<double>(),
                p["max"]!.GetValue<double>())).ToList(),
            root["seeds"]!.AsArray().Select(s => s!.GetValue<long>()).ToList(),
            new SweepBudget(
                budget["trials"]?.GetValue<int>(),
                budget["hours"]?.GetValue<double>(),
                budget["until"] is { } until ? TimeOnly.Parse(until.GetValue<string>(), CultureInfo.InvariantCulture) : null),
            rule is null ? null : new EarlyTerminate(
                Enum.Parse<PruningRule>(rule["type"]!.GetValue<string>()), rule["min_steps"]!.GetValue<long>(), rule["reduction_factor"]!.GetValue<int>()),
            root["retries"]!.GetValue<int>(),
            root["seed"]!.GetValue<long>(),
            root["content_hash"]!.GetValue<string>());
    }

    private static JsonArray Array(IEnumerable<JsonNode?> items) => new([.. items]);
}
