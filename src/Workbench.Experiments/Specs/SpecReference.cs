// Writes docs/spec-reference.md from the code itself: it resolves the smallest spec of every
// dataset and model kind the catalog pairs, with a SpecKeyLog, and reads each key's type and
// allowed values from what the readers checked and its default from the resolved spec. A default
// that differs between those specs is shown per stage, model kind or dataset, whichever explains
// it. The metric catalog follows as a table. SpecReferenceTests fails when the committed file is
// out of date.
using System.Text;
using Workbench.Experiments.Catalog;
using Workbench.Tracking;

namespace Workbench.Experiments.Specs;

internal static class SpecReference
{
    /// <summary>How to bring docs/spec-reference.md up to date; the test's failure message says it.</summary>
    public const string Regenerate =
        "WORKBENCH_WRITE_DOCS=1 dotnet test tests/Workbench.Experiments.Tests -c Release --filter FullyQualifiedName~SpecReference";

    // One spec per dataset and model kind it takes: it names the dataset and kind unless they are the
    // defaults (so their defaults show), and gives only the keys a spec must give there.
    private sealed record Example(string Dataset, string Kind, string Stage, IReadOnlyDictionary<string, string> Given)
    {
        public bool Names(string path) => Given.ContainsKey(path);

        public bool Requires(string path) => Names(path) && path is not ("data.dataset" or "model.kind" or "train.stage");
    }

    // What a default or a key's presence can depend on; a key's own dimension never explains it.
    private sealed record Dimension(string Key, Func<Example, string> Of);

    private static readonly Dimension Stage = new("train.stage", e => e.Stage);
    private static readonly Dimension Kind = new("model.kind", e => e.Kind);
    private static readonly Dimension Dataset = new("data.dataset", e => e.Dataset);
    private static readonly Dimension StageOnDataset = new("train.stage and data.dataset", e => $"{e.Stage} on {e.Dataset}");

    private sealed record KeyRow(string Path, IReadOnlyDictionary<Example, SpecKey> Reads, IReadOnlyDictionary<Example, string> Defaults);

    public static string Markdown()
    {
        var examples = Examples();
        var rows = new List<KeyRow>();
        var logs = examples.ToDictionary(e => e, Log);
        var defaults = examples.ToDictionary(e => e, Defaults);
        foreach (var path in Merged(logs.Values))
        {
            var reads = logs.Where(l => l.Value.Keys.Any(k => k.Path == path))
                .ToDictionary(l => l.Key, l => l.Value.Keys.First(k => k.Path == path));
            var shown = reads.Where(r => !r.Key.Names(path) || r.Key.Requires(path))
                .ToDictionary(r => r.Key, r => DefaultOf(r.Key, r.Value, defaults[r.Key]));
            rows.Add(new KeyRow(path, reads, shown));
        }

        var md = new StringBuilder();
        md.Append("# Spec reference\n\n")
          .Append("Generated from the code by `SpecReference` (src/Workbench.Experiments/Specs/SpecReference.cs); do not edit by hand.\n")
          .Append("Regenerate with `").Append(Regenerate).Append("`.\n\n")
          .Append("A spec is YAML. Unknown keys, wrong types and out-of-range values are errors that name the file, line,\n")
          .Append("column and key path; `--set a.b=v` goes through the same checks. A run stores its spec with every\n")
          .Append("default below filled in. A default that depends on the stage, model kind or dataset is given for each.\n");

        md.Append("\n## Keys\n\n| key | type | default | allowed | applies to |\n| --- | --- | --- | --- | --- |\n");
        md.Append("| `").Append(SpecFiles.ExtendsKey).Append("` | string (a file path, relative to this file) | none | a spec file; this one is deep-merged over it | every spec |\n");
        foreach (var row in rows)
        {
            md.Append("| `").Append(row.Path).Append("` | ")
              .Append(Varying(row.Path, row.Reads.ToDictionary(r => r.Key, r => r.Value.Type))).Append(" | ")
              .Append(Varying(row.Path, row.Defaults)).Append(" | ")
              .Append(Cell(Varying(row.Path, row.Reads.ToDictionary(r => r.Key, r => Allowed(r.Value))))).Append(" | ")
              .Append(AppliesTo(row.Path, row.Reads.Keys, examples)).Append(" |\n");
        }

        md.Append("\n## Datasets\n\nFrom src/Workbench.Experiments/Catalog/DatasetTable.cs.\n\n| dataset | family | model kinds | stages | what it is |\n| --- | --- | --- | --- | --- |\n");
        foreach (var dataset in DatasetTable.All)
        {
            md.Append("| `").Append(dataset.Name).Append("` | ").Append(Family(dataset.Family)).Append(" | ")
              .Append(Codes(SpecCatalog.KindsFor(dataset.Name))).Append(" | ")
              .Append(Codes(StageTable.All.Where(s => s.Datasets.Contains(dataset.Name)).Select(s => s.Name))).Append(" | ")
              .Append(Cell(dataset.Meaning)).Append(" |\n");
        }
        md.Append("\n## Model kinds\n\nFrom src/Workbench.Experiments/Catalog/ModelKindTable.cs; each kind's keys and how it is built are in\n")
          .Append("src/Workbench.Experiments/Specs/Models/.\n\n| kind | data | trained from scratch by | keys | what it is |\n| --- | --- | --- | --- | --- |\n");
        foreach (var kind in ModelKindTable.All)
        {
            md.Append("| `").Append(kind.Name).Append("` | ").Append(string.Join(", ", kind.Families.Select(Family))).Append(" | `")
              .Append(kind.Stage).Append("` | ").Append(Codes(kind.Keys)).Append(" | ").Append(Cell(kind.Meaning)).Append(" |\n");
        }
        md.Append("\n## Stages\n\nFrom src/Workbench.Experiments/Catalog/StageTable.cs. A planned stage is recognised in a spec and refused until it is built.\n\n")
          .Append("`data parallel` says whether `run --nproc N` trains the stage on N ranks, or why it refuses to.\n\n")
          .Append("| stage | built | data parallel | model kinds | datasets | what it does |\n| --- | --- | --- | --- | --- | --- |\n");
        foreach (var stage in StageTable.All)
        {
            md.Append("| `").Append(stage.Name).Append("` | ").Append(stage.Built ? "yes" : "planned").Append(" | ")
              .Append(stage.NotDataParallel is { } why ? Cell("no: " + why) : "yes").Append(" | ").Append(Codes(stage.Kinds)).Append(" | ")
              .Append(Codes(stage.Datasets)).Append(" | ").Append(Cell(stage.Meaning)).Append(" |\n");
        }

        md.Append("\n## Metrics\n\n")
          .Append("What each logged metric means (src/Workbench.Experiments/Catalog/MetricTable.cs). `metric.name` must be a metric\n")
          .Append("its stage evaluates; its goal is the table's. `<name>` in a metric stands for one path segment. best/ values,\n")
          .Append("report verdicts and charts follow the goal and chart; `rerun --verify` skips timing metrics. A logged key the\n")
          .Append("table does not hold is shown without a direction, in a chart of its own.\n\n")
          .Append("| metric | goal | chart | timing | evaluated by | meaning |\n| --- | --- | --- | --- | --- | --- |\n");
        foreach (var metric in MetricTable.Catalog.Definitions)
        {
            md.Append("| `").Append(metric.Name).Append("` | ").Append(metric.Goal.ToName()).Append(" | ")
              .Append(metric.Chart ?? "(not a curve)").Append(" | ").Append(metric.Timing ? "yes" : "").Append(" | ")
              .Append(string.Join(", ", metric.Stages)).Append(" | ").Append(Cell(metric.Meaning)).Append(" |\n");
        }
        return md.ToString();
    }

    private static List<Example> Examples()
    {
        // Every built stage on every dataset it reads, with every model kind it trains that fits the dataset.
        var examples = new List<Example>();
        foreach (var stage in StageTable.All.Where(s => s.Built))
        {
            foreach (var dataset in stage.Datasets)
            {
                foreach (var kind in SpecCatalog.KindsFor(dataset).Where(stage.Kinds.Contains))
                {
                    var given = new Dictionary<string, string>();
                    if (dataset != SpecCatalog.Datasets[0]) given["data.dataset"] = dataset;
                    if (kind != SpecCatalog.ModelKinds[0]) given["model.kind"] = kind;
                    if (stage.Name != SpecCatalog.StageFor(kind)) given["train.stage"] = stage.Name;
                    if (DatasetTable.Get(dataset).NeedsPath) given["data.path"] = "data.file";
                    if (stage.Name == "pretrain") given["train.max_steps"] = "100";
                    examples.Add(new Example(dataset, kind, stage.Name, given));
                }
            }
        }
        return examples;
    }

    private static MappingNode Tree(Example example, bool withMetric)
    {
        var errors = new List<SpecError>();
        // The given keys nested under their sections: `data: {dataset: names}`.
        var yaml = new StringBuilder("name: reference\n");
        foreach (var section in example.Given.GroupBy(g => g.Key[..g.Key.IndexOf('.')]))
            yaml.Append(section.Key).Append(": {")
                .Append(string.Join(", ", section.Select(g => $"{g.Key[(g.Key.IndexOf('.') + 1)..]}: {g.Value}"))).Append("}\n");
        // The metric section is read only when given, and its goal only for a name the stage evaluates.
        if (withMetric) yaml.Append($"metric: {{name: {SpecCatalog.DefaultMetric(example.Stage, example.Dataset)}}}\n");
        var tree = YamlTreeReader.Read(yaml.ToString(), "reference", errors) as MappingNode;
        if (tree is null || errors.Count > 0) throw new InvalidOperationException($"the reference spec for {example} does not parse: {string.Join("; ", errors)}");
        return tree;
    }

    private static SpecKeyLog Log(Example example)
    {
        var log = new SpecKeyLog();
        var errors = new List<SpecError>();
        SpecResolver.Resolve(Tree(example, withMetric: true), errors, log);
        if (errors.Count > 0) throw new InvalidOperationException($"the reference spec for {example} is refused: {string.Join("; ", errors)}");
        return log;
    }

    // The resolved spec of the smallest spec, flattened to dotted paths.
    private static Dictionary<string, object?> Defaults(Example example)
    {
        var errors = new List<SpecError>();
        var spec = SpecResolver.Resolve(Tree(example, withMetric: false), errors);
        if (errors.Count > 0) throw new InvalidOperationException($"the reference spec for {example} is refused: {string.Join("; ", errors)}");
        var flat = new Dictionary<string, object?>();
        Flatten(SpecDocument.Of(spec), "", flat);
        return flat;
    }

    private static void Flatten(Mapping map, string prefix, Dictionary<string, object?> into)
    {
        foreach (var (key, value) in map)
        {
            if (value is Mapping inner) Flatten(inner, prefix + key + ".", into);
            else into[prefix + key] = value;
        }
    }

    // A key the example had to give is required there; a required key of an optional section (metric.name)
    // is required in it, and the section's absence has its own default.
    private static string DefaultOf(Example example, SpecKey key, Dictionary<string, object?> defaults)
    {
        var section = key.Path.Contains('.') ? key.Path[..key.Path.LastIndexOf('.')] : null;
        if (example.Requires(key.Path) || (key.Required && section is null)) return "required";
        if (!defaults.TryGetValue(key.Path, out var value) && !SpecDocument.OmittedAtDefault.TryGetValue(key.Path, out value)) throw new InvalidOperationException($"`{key.Path}` is read but not in the resolved spec");
        return Value(value);
    }

    private static string Allowed(SpecKey key) =>
        key.Required && key.Path.Contains('.') ? $"{key.Allowed}; required when `{key.Path[..key.Path.LastIndexOf('.')]}` is given" : key.Allowed ?? "";

    // Every key in reading order: a key one example reads and another does not goes after the key read before it.
    private static List<string> Merged(IEnumerable<SpecKeyLog> logs)
    {
        var order = new List<string>();
        foreach (var log in logs)
        {
            string? previous = null;
            foreach (var key in log.Keys)
            {
                if (!order.Contains(key.Path)) order.Insert(previous is null ? 0 : order.IndexOf(previous) + 1, key.Path);
                previous = key.Path;
            }
        }
        return order;
    }

    private static string Value(object? value) => value switch
    {
        null => "none",
        bool b => b ? "`true`" : "`false`",
        long or double => $"`{SpecDocument.Number(value)}`",
        string s => s.Length == 0 ? "`\"\"`" : $"`{s}`",
        List<object?> list => $"`[{string.Join(", ", list.Select(v => v is null ? "null" : v is string s ? s : SpecDocument.Number(v)))}]`",
        _ => throw new InvalidOperationException($"no spelling for {value.GetType().Name}"),
    };

    // One value when every example agrees; else the value per stage, model kind or dataset, the coarsest that explains it.
    private static string Varying(string path, IReadOnlyDictionary<Example, string> values)
    {
        var distinct = values.Values.Distinct().ToList();
        if (distinct.Count == 1) return distinct[0];
        foreach (var dimension in new[] { Stage, Kind, Dataset, StageOnDataset }.Where(d => !d.Key.Contains(path)))
        {
            var byValue = values.GroupBy(v => dimension.Of(v.Key)).ToList();
            if (byValue.All(g => g.Select(v => v.Value).Distinct().Count() == 1))
            {
                return string.Join("; ", byValue.GroupBy(g => g.First().Value)
                    .Select(same => $"{(same.Key.Length == 0 ? "any" : same.Key)} ({string.Join(", ", same.Select(g => g.Key))})"));
            }
        }
        throw new InvalidOperationException($"no one of stage, model kind or dataset explains the values {string.Join(", ", distinct)}");
    }

    // Which specs read a key: by model kind first, since most keys that only some specs read are a kind's.
    private static string AppliesTo(string path, IEnumerable<Example> reading, IReadOnlyList<Example> examples)
    {
        var set = reading.ToHashSet();
        if (set.Count == examples.Count) return "every spec";
        foreach (var dimension in new[] { Kind, Stage, Dataset }.Where(d => d.Key != path))
        {
            var groups = examples.GroupBy(dimension.Of).ToList();
            // The key belongs to some values of this dimension when each value's examples all read it or none do.
            if (groups.All(g => g.All(set.Contains) || !g.Any(set.Contains)))
                return string.Join(", ", groups.Where(g => g.All(set.Contains)).Select(g => $"`{g.Key}`"));
        }
        throw new InvalidOperationException("no one of stage, model kind or dataset says which specs read a key");
    }

    private static string Family(DataFamily family) => family == DataFamily.TruthTable ? "truth table" : family.ToString().ToLowerInvariant();

    private static string Codes(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"`{n}`"));

    // A markdown table cell holds no raw pipe.
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
