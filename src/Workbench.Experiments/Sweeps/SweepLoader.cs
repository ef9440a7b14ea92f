// Reads and validates a sweep file: the base spec (relative to the sweep file) with `set:` over it, the
// method, the metric, the swept keys with their values or ranges, seeds, budget, early termination,
// retries and the sampler's seed. Every grid value and both ends of every range are put into the base
// spec and resolved, so a sweep that loads never starts a trial the spec would refuse; every problem
// is reported at once with its file and line, as for specs.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Workbench.Experiments.Specs;
using Workbench.Tracking;

namespace Workbench.Experiments.Sweeps;

public static class SweepLoader
{
    private const string ParametersKey = "parameters";

    /// <summary>More grid points than this is a typo, not a sweep anyone can run.</summary>
    public const long MaxGridPoints = 100_000;

    private static readonly string[] RootKeys =
        ["spec", "set", "method", "metric", ParametersKey, "seeds", "budget", "early_terminate", "retries", "seed"];
    private static readonly string[] ParameterKeys = ["values", "distribution", "min", "max"];
    private static readonly string[] Methods = ["grid", "random", "tpe"];
    private static readonly string[] Distributions = ["uniform", "log_uniform", "int_uniform"];
    private static readonly string[] PruningTypes = ["asha", "median"];
    private static readonly Bound AnyNumber = new("a finite number", _ => true);

    /// <summary>Loads and validates a sweep file. Throws <see cref="SpecException"/> listing every problem.</summary>
    public static SweepDefinition Load(string path)
    {
        var errors = new List<SpecError>();
        var sweep = Read(path, errors);
        if (errors.Count > 0 || sweep is null)
            throw new SpecException(errors.Distinct().OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column).ToList());
        return sweep;
    }

    private static SweepDefinition? Read(string path, List<SpecError> errors)
    {
        var root = SpecFiles.ReadMapping(path, errors, "sweep", firstKey: "spec");
        if (root is null) return null;
        var top = SpecSection.Root(root, errors);
        top.CheckKeys(RootKeys);

        var specPath = SpecPath(top, path);
        var sets = SpecSetBlock.Read(top, "set", parts => parts switch
        {
            [SpecFiles.ExtendsKey, ..] => "extends cannot be set; give the base file as the sweep's `spec:`",
            ["seed"] => "the sweep's `seeds:` set each trial's seeds",
            ["metric", ..] => "the sweep's `metric:` sets the metric",
            _ => null,
        }, errors);
        var method = top.RequiredText("method", "missing; a sweep searches by grid, random or tpe") switch
        {
            "grid" => SweepMethod.Grid,
            "random" => SweepMethod.Random,
            "tpe" => SweepMethod.Tpe,
            "" => (SweepMethod?)null,
            var other => Refuse<SweepMethod>(top, "method", $"unknown sweep method `{other}`{DidYouMean.Hint(other, Methods)} (expected grid, random or tpe)"),
        };
        var parameters = ReadParameters(top, method, sets, errors);
        var seeds = ReadSeeds(top);
        var budget = ReadBudget(top, method);
        var early = ReadEarlyTerminate(top);
        var retries = top.Int("retries", 1, Bound.NonNegative);
        var samplerSeed = top.Long("seed", 0, Bound.NonNegative);

        // The base spec with `set:` and the sweep's metric over it; the parameters are checked against it.
        if (specPath is null) return null;
        var tree = SpecFiles.Read(specPath, errors);
        if (tree is null) return null;
        foreach (var set in sets) tree = SpecMerge.Over(tree, set.Tree);
        if (top.Value("metric") is { } metric) tree = WithMetric(tree, metric);
        var before = errors.Count;
        var spec = SpecResolver.Resolve(tree, errors);
        if (errors.Count > before) return null;

        foreach (var (parameter, key, ends) in parameters)
            foreach (var end in ends)
                SpecResolver.Resolve(SpecMerge.Over(tree, SpecMerge.At(key.Mark, parameter.Path, end)), errors);
        if (errors.Count > 0 || method is not { } m) return null;

        return new SweepDefinition(
            Path.GetFullPath(path), Path.GetFullPath(specPath),
            sets.Select(s => $"{s.Key.Text}={SweepValue.Write(s.Value)}").ToList(),
            m, new SweepMetric(spec.Metric.Name, MetricGoals.Parse(spec.Metric.Goal)),
            parameters.Select(p => p.Parameter).ToList(),
            seeds ?? [spec.Seed], budget, early?.Invoke(spec), retries, samplerSeed,
            ContentHash(path, spec));
    }

    private static T? Refuse<T>(SpecSection section, string key, string message) where T : struct
    {
        section.Error(key, message);
        return null;
    }

    private static string? SpecPath(SpecSection top, string sweepPath)
    {
        var file = top.RequiredText("spec", "missing; a sweep needs the `spec` it searches (a file relative to the sweep file)");
        if (file.Length == 0) return null;
        var specPath = Path.Combine(Path.GetDirectoryName(sweepPath) ?? "", file);
        if (File.Exists(specPath)) return specPath;
        top.Error("spec", $"spec file `{specPath}` not found (paths are relative to the sweep file)");
        return null;
    }

    // The sweep's metric replaces the spec's whole `metric:` (a goal from the spec would not fit another name).
    private static MappingNode WithMetric(MappingNode tree, SpecNode metric) =>
        SpecMerge.Over(new MappingNode(tree.Mark, tree.Entries.Where(e => e.Key.Text != "metric").ToList()), SpecMerge.At(metric.Mark, "metric", metric));

    /// <summary>Each swept key, with its key node (where a wrong path is reported) and the values to check against the spec.</summary>
    private static List<(SweepParameter Parameter, ScalarNode Key, List<SpecNode> Ends)> ReadParameters(
        SpecSection top, SweepMethod? method, IReadOnlyList<SetEntry> sets, List<SpecError> errors)
    {
        var read = new List<(SweepParameter Parameter, ScalarNode Key, List<SpecNode> Ends)>();
        if (top.Value(ParametersKey) is not MappingNode { Entries.Count: > 0 } map)
        {
            top.Error(ParametersKey, "expected a mapping from each swept spec key (train.optimizer.lr) to " +
                                     "{values: [...]} or {distribution: uniform | log_uniform | int_uniform, min: ..., max: ...}");
            return read;
        }
        var section = top.Section(ParametersKey);
        foreach (var entry in map.Entries)
        {
            var path = entry.Key.Text;
            var parts = path.Split('.');
            string? refused = parts switch
            {
                _ when parts.Any(p => p.Length == 0 || p.Trim() != p) => "a swept key must be a dotted path of spec keys, like train.optimizer.lr",
                [SpecFiles.ExtendsKey, ..] => "extends cannot be swept",
                ["name"] => "a trial's runs are named by the sweep",
                ["seed"] => "the sweep's `seeds:` set each trial's seeds; list them there",
                ["metric", ..] => "the metric is what the sweep ranks trials by; it cannot be swept",
                _ when sets.Any(s => s.Key.Text == path) => "is also given in `set:`; a swept key takes its values from here, so remove it there",
                _ => null,
            };
            if (refused is not null)
            {
                errors.Add(entry.Key.Mark.Error($"{ParametersKey}.{path}", refused));
                continue;
            }
            if (entry.Value is not MappingNode)
            {
                section.TypeError(path, "{values: [...]} or {distribution: ..., min: ..., max: ...}", entry.Value);
                continue;
            }
            if (ReadParameter(section.Section(path, ParameterKeys), path, method, errors) is { } parameter)
                read.Add((parameter.Parameter, entry.Key, parameter.Ends));
        }
        if (method == SweepMethod.Grid && read.All(p => p.Parameter.Kind == ParameterKind.Values))
        {
            var points = read.Aggregate(1.0, (n, p) => n * p.Parameter.Values!.Count);
            if (points > MaxGridPoints)
                top.Error(ParametersKey, $"the grid has {points:G3} points, more than {MaxGridPoints}; list fewer values or search with random or tpe");
        }
        return read;
    }

    private static (SweepParameter Parameter, List<SpecNode> Ends)? ReadParameter(SpecSection p, string path, SweepMethod? method, List<SpecError> errors)
    {
        if (p.Has("values"))
        {
            foreach (var key in new[] { "distribution", "min", "max" }.Where(p.Has))
                p.Error(key, $"`{key}` goes with a distribution; a parameter takes `values:` or a distribution, not both");
            if (p.Value("values") is not SequenceNode { Items.Count: > 0 } list)
            {
                p.Error("values", "expected a non-empty list of the values to try");
                return null;
            }
            var values = new List<object>();
            for (var i = 0; i < list.Items.Count; i++)
            {
                var item = list.Items[i];
                if (SweepValue.Of(item) is not { } value)
                    errors.Add(item.Mark.Error($"{p.PathOf("values")}[{i}]", $"expected a number, string, boolean or list, got {ScalarType.Describe(item)}"));
                else if (values.Any(v => SweepValue.Same(v, value)))
                    errors.Add(item.Mark.Error($"{p.PathOf("values")}[{i}]", $"lists {SweepValue.Format(value)} twice; each value is tried once"));
                else
                    values.Add(value);
            }
            return values.Count == list.Items.Count ? (new SweepParameter(path, ParameterKind.Values, values, 0, 0), list.Items.ToList()) : null;
        }

        if (!p.Has("distribution"))
        {
            p.Error("distribution", "a parameter needs `values: [...]` or `distribution:` (uniform, log_uniform or int_uniform) with `min` and `max`");
            return null;
        }
        var name = p.Choice("distribution", "", Distributions, "distribution");
        if (method == SweepMethod.Grid)
            p.Error("distribution", "a grid tries listed values only; give `values: [...]`, or search a distribution with random or tpe");
        var kind = name switch
        {
            "uniform" => ParameterKind.Uniform,
            "log_uniform" => ParameterKind.LogUniform,
            "int_uniform" => ParameterKind.IntUniform,
            _ => (ParameterKind?)null,
        };
        var integers = kind == ParameterKind.IntUniform;
        double? min = integers ? p.OptionalInt("min", AnyNumber) : p.OptionalNumber("min", AnyNumber);
        double? max = integers ? p.OptionalInt("max", AnyNumber) : p.OptionalNumber("max", AnyNumber);
        foreach (var key in new[] { "min", "max" }.Where(k => !p.Has(k)))
            p.Error(key, $"missing; a distribution needs both `min` and `max`");
        if (min is not { } low || max is not { } high || kind is not { } k) return null;
        if (low >= high)
        {
            p.Error("max", $"must be greater than min (got min {Number(low)}, max {Number(high)})");
            return null;
        }
        if (k == ParameterKind.LogUniform && low <= 0)
        {
            p.Error("min", $"a log_uniform range is spaced by logarithms, so min must be > 0, got {Number(low)}");
            return null;
        }
        // The ends as the sampler gives them: a float for uniform and log_uniform, which an integer key refuses.
        var ends = new[] { "min", "max" }.Select(key => p.Value(key)!).Select(n => integers ? n : AsFloat((ScalarNode)n)).ToList();
        return (new SweepParameter(path, k, null, low, high), ends);
    }

    private static SpecNode AsFloat(ScalarNode node) =>
        ScalarType.Of(node) == ScalarKind.Integer ? new ScalarNode(node.Mark, node.Text + ".0", quoted: false) : node;

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static IReadOnlyList<long>? ReadSeeds(SpecSection top)
    {
        if (!top.Has("seeds")) return null;
        var seeds = top.IntList("seeds", ValueList<int>.Empty, Bound.NonNegative).Select(s => (long)s).ToList();
        if (seeds.Distinct().Count() < seeds.Count) top.Error("seeds", "lists a seed twice; each trial runs once per seed");
        return seeds.Count > 0 ? seeds : null;
    }

    private static SweepBudget ReadBudget(SpecSection top, SweepMethod? method)
    {
        var budget = top.Section("budget", "trials", "hours", "until");
        var trials = budget.OptionalInt("trials", Bound.AtLeast(1));
        var hours = budget.OptionalNumber("hours", Bound.Positive);
        TimeOnly? until = null;
        if (budget.OptionalText("until") is { } clock)
        {
            if (TimeOnly.TryParseExact(clock, ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)) until = time;
            else budget.Error("until", $"expected a clock time like \"07:00\" (24-hour, local time), got \"{clock}\"");
        }
        if (method is SweepMethod.Random or SweepMethod.Tpe && !budget.Has("trials") && !budget.Has("hours") && !budget.Has("until"))
            top.Error("budget", "random and tpe searches do not end by themselves; give budget.trials, budget.hours or budget.until");
        return new SweepBudget(trials, hours, until);
    }

    /// <summary>The rule, given the spec it applies to (min_steps defaults to its first evaluation); null without early termination.</summary>
    private static Func<ExperimentSpec, EarlyTerminate>? ReadEarlyTerminate(SpecSection top)
    {
        if (!top.Has("early_terminate")) return null;
        var early = top.Section("early_terminate", "type", "min_steps", "reduction_factor");
        var type = early.RequiredText("type", "missing; early termination is by `asha` or `median`") switch
        {
            "asha" => PruningRule.Asha,
            "median" => PruningRule.Median,
            "" => (PruningRule?)null,
            var other => Refuse<PruningRule>(early, "type", $"unknown early termination `{other}`{DidYouMean.Hint(other, PruningTypes)} (expected asha or median)"),
        };
        long? minSteps = early.Has("min_steps") ? early.Long("min_steps", 1, Bound.AtLeast(1)) : null;
        var factor = early.Int("reduction_factor", 3, Bound.AtLeast(2));
        if (type == PruningRule.Median && early.Has("reduction_factor"))
            early.Error("reduction_factor", "applies to asha only; median compares every trial with the median at the same step");
        return type is { } t ? spec => new EarlyTerminate(t, minSteps ?? spec.Train.Eval.Every, factor) : null;
    }

    // The sweep file's bytes, then the resolved base spec: a changed file or a changed base spec is a new sweep.
    private static string ContentHash(string path, ExperimentSpec spec)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(path));
        hash.AppendData([0]);
        hash.AppendData(Encoding.UTF8.GetBytes(SpecJson.Canonical(spec)));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
