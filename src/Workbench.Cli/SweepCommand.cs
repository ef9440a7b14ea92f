// `workbench sweep SWEEP.yaml [--parallel N]` starts or resumes a sweep and runs its trials;
// `workbench sweep show SWEEP [--json] [--report]` says where a sweep stands; `workbench sweeps [--json]`
// lists them. Progress goes to stderr; `sweep` prints the sweep id as the last line of stdout.
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Workbench.Experiments.Sweeps;
using Workbench.Tracking;

namespace Workbench.Cli;

internal static class SweepCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var file = new Argument<string>("sweep") { Description = "the sweep file (YAML)" };
        var parallel = new Option<int>("--parallel")
        {
            Description = "trials run at once in this process (0: register the sweep and leave its trials to agents)",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command("sweep", "start or resume a hyperparameter sweep and run its trials") { file, parallel, CreateShow() };
        command.SetAction(parse => Commands.Guard(() =>
        {
            var slots = parse.GetValue(parallel);
            if (slots < 0) throw new UserError($"--parallel {slots}: give the number of trials to run at once, 0 or more");
            var definition = SweepLoader.Load(parse.GetValue(file)!);
            using var store = Commands.OpenStore(parse);
            var sweep = Register(store, definition);
            if (slots == 0)
            {
                Console.Error.WriteLine($"sweep {sweep.Id}: registered; run its trials with `workbench agent {sweep.Id}`");
                Console.Out.WriteLine(sweep.Id);
                return ExitCodes.Done;
            }
            var exit = Drive(store, sweep, slots, count: null);
            var summary = SweepSummary.Read(store, sweep.Id);
            Console.Error.WriteLine($"sweep {sweep.Id}: {summary.Status}, {summary.Counts()}" +
                                    (summary.Best is { } best ? $"; best trial {best.Number}: {summary.Definition.Metric.Name} {Number(best.Score)} ({SweepSummary.Describe(best)})" : ""));
            Console.Error.WriteLine($"report: {SweepReports.Write(store, summary)}");
            Console.Out.WriteLine(sweep.Id);
            return exit;
        }));
        return command;
    }

    public static Command CreateList()
    {
        var json = new Option<bool>("--json") { Description = "print a JSON array" };
        var command = new Command("sweeps", "list sweeps") { json };
        command.SetAction(parse => Commands.Guard(() =>
        {
            using var store = Commands.OpenStore(parse);
            var sweeps = SweepSummary.ReadAll(store);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(new JsonArray([.. sweeps.Select(s => (JsonNode?)s.ToJson(trials: false))]).ToJsonString(Indented));
                return ExitCodes.Done;
            }
            var table = new Table().Border(TableBorder.Simple).AddColumns("id", "name", "status", "method", "trials", "metric", "best", "created");
            foreach (var s in sweeps)
            {
                table.AddRow(s.Sweep.Id, Markup.Escape(s.Sweep.Name), s.Status, s.Definition.Method.ToString().ToLowerInvariant(), Markup.Escape(s.Counts()),
                    Markup.Escape(s.Definition.Metric.Name), s.Best is { } best ? $"{Number(best.Score)} (trial {best.Number})" : "",
                    s.Sweep.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(table);
            return ExitCodes.Done;
        }));
        return command;
    }

    private static Command CreateShow()
    {
        var sweep = new Argument<string>("id") { Description = "a sweep id or unique id prefix" };
        var json = new Option<bool>("--json") { Description = "print the sweep and its trials as one JSON object" };
        var report = new Option<bool>("--report") { Description = "write the sweep's HTML report and print its path" };
        var command = new Command("show", "show a sweep: its status, best trial and trials ranked by its metric") { sweep, json, report };
        command.SetAction(parse => Commands.Guard(() =>
        {
            using var store = Commands.OpenStore(parse);
            var summary = SweepSummary.Read(store, parse.GetValue(sweep)!);
            if (parse.GetValue(report))
            {
                var path = SweepReports.Write(store, summary);
                Console.Error.WriteLine($"report: {path}");
                Console.Out.WriteLine(path);
                return ExitCodes.Done;
            }
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(summary.ToJson(trials: true).ToJsonString(Indented));
                return ExitCodes.Done;
            }
            Print(summary);
            return ExitCodes.Done;
        }));
        return command;
    }

    /// <summary>The sweep the file names: resumed when its content is unchanged, else a new one, which says what it replaces.</summary>
    private static SweepRecord Register(RunStore store, SweepDefinition definition)
    {
        var registration = store.RegisterSweep(new NewSweep(
            Path.GetFileNameWithoutExtension(definition.SourcePath), definition.ContentHash, Path.GetFullPath(definition.SourcePath),
            SweepDefinitionJson.Write(definition), definition.Retries, definition.Budget.Trials, SweepDeadline.Of(definition.Budget, DateTime.UtcNow)));
        var sweep = registration.Sweep;
        if (registration.Replaces is { } old)
            Console.Error.WriteLine($"sweep {sweep.Id}: {definition.SourcePath} (or its spec) changed since sweep {old.Id}; starting a new sweep");
        else if (registration.Created)
            Console.Error.WriteLine($"sweep {sweep.Id}: new, {definition.Method.ToString().ToLowerInvariant()} over {definition.Parameters.Count} parameter(s), {definition.Seeds.Count} seed(s) a trial");
        else
            Console.Error.WriteLine($"sweep {sweep.Id}: resuming ({SweepSummary.Read(store, sweep.Id).Counts()}); finished trials are kept");
        return sweep;
    }

    /// <summary>Runs <paramref name="slots"/> slots of the sweep with Ctrl-C wired to a clean stop of its trials.</summary>
    internal static int Drive(RunStore store, SweepRecord sweep, int slots, int? count)
    {
        if (sweep.Status == SweepStatus.Finished)
        {
            Console.Error.WriteLine($"sweep {sweep.Id}: finished already (its budget is spent or its search has no trial left)");
            return ExitCodes.Done;
        }
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (interrupt.IsCancellationRequested) return;
            e.Cancel = true;
            interrupt.Cancel();
            Console.Error.WriteLine($"sweep {sweep.Id}: interrupted: stopping the running trials at their next step (Ctrl-C again to abort)");
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            new SweepAgent(store, sweep, slots, interrupt.Token).Run(count);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        return interrupt.IsCancellationRequested ? ExitCodes.Interrupted : ExitCodes.Done;
    }

    // Fits 80 columns: parameters by their shortest unambiguous name (the full paths once, above the table),
    // numbers to 4 significant digits, all of a trial's parameters in one column that wraps between them,
    // and the attempts column only when a trial was retried.
    private static void Print(SweepSummary summary)
    {
        var sweep = summary.Sweep;
        var metric = summary.Definition.Metric;
        var names = ShortNames(summary.Definition.Parameters.Select(p => p.Path).ToList());
        string Describe(TrialRecord trial) => string.Join(" ", SweepTrials.Parameters(trial.ParametersJson)
            .Select(p => $"{names.GetValueOrDefault(p.Key, p.Key)}={Shown(p.Value)}"));
        Console.Out.WriteLine($"{sweep.Name} ({sweep.Id})  {summary.Status}  {summary.Counts()}");
        Console.Out.WriteLine($"  source      {sweep.SourcePath}");
        Console.Out.WriteLine($"  method      {summary.Definition.Method.ToString().ToLowerInvariant()}  metric {metric.Name} ({metric.Goal.ToName()})");
        Console.Out.WriteLine($"  created     {RunJson.Time(sweep.CreatedAt)}" + (sweep.DeadlineAt is { } d ? $"  no new trial after {RunJson.Time(d)}" : ""));
        Console.Out.WriteLine($"  parameters  {string.Join(", ", summary.Definition.Parameters.Select(p => names[p.Path] == p.Path ? p.Path : $"{names[p.Path]}: {p.Path}"))}");
        if (summary.Best is { } best)
            Console.Out.WriteLine($"  best        trial {best.Number}: {metric.Name} {Number(best.Score)} ({Describe(best)})");
        var importance = summary.Importance;
        Console.Out.WriteLine("  importance  " + (importance.Shares is { } shares
            ? string.Join(", ", shares.OrderByDescending(s => s.Share).Select(s => $"{names[s.Path]} {s.Share.ToString("0.00", CultureInfo.InvariantCulture)}")) +
              $" (fANOVA over {importance.Trials} completed trials)"
            : importance.Reason));
        var retried = summary.Trials.Any(t => t.Attempts > 1);
        var table = new Table().Border(TableBorder.Simple).AddColumns("trial", "status", Markup.Escape(metric.Name), "pruned at", "duration");
        if (retried) table.AddColumn("attempts");
        table.AddColumn("parameters");
        foreach (var trial in summary.Ranked)
        {
            var row = new List<string> { trial.Number.ToString(CultureInfo.InvariantCulture), trial.Status.ToName(), Number(trial.Score),
                trial.PrunedStep?.ToString(CultureInfo.InvariantCulture) ?? "", SweepSummary.Duration(trial) ?? "" };
            if (retried) row.Add(trial.Attempts.ToString(CultureInfo.InvariantCulture));
            row.Add(Markup.Escape(Describe(trial)));
            table.AddRow([.. row]);
        }
        AnsiConsole.Write(table);
    }

    /// <summary>Each spec path by its shortest dotted suffix that no other path ends with: train.optimizer.lr is lr.</summary>
    internal static IReadOnlyDictionary<string, string> ShortNames(IReadOnlyList<string> paths) => paths.ToDictionary(path => path, path =>
    {
        var parts = path.Split('.');
        for (var take = 1; take < parts.Length; take++)
        {
            var suffix = string.Join('.', parts[^take..]);
            if (paths.Count(p => p == suffix || p.EndsWith("." + suffix, StringComparison.Ordinal)) == 1) return suffix;
        }
        return path;
    });

    // A swept value as the table shows it: a fraction to 4 significant digits, a list without spaces (a cell wraps at spaces).
    private static string Shown(object value) => value switch
    {
        double d => Workbench.Reports.ReportNumbers.Display(d),
        List<object> list => $"[{string.Join(",", list.Select(Shown))}]",
        _ => SweepValue.Format(value),
    };

    private static string Number(double? value) => value?.ToString("G6", CultureInfo.InvariantCulture) ?? "";
}
