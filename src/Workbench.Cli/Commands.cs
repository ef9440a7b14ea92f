// The command table (docs/design.md): each command's handler lives in its own file.
// Exit codes: 0 done, 1 failed/diverged/differs, 2 bad input (nothing written), 130 interrupted.
using System.CommandLine;
using Workbench.Data;
using Workbench.Experiments.Checkpoints;
using Workbench.Experiments.Runs;
using Workbench.Experiments.Specs;
using Workbench.Reports;
using Workbench.Torch;
using Workbench.Tracking;

namespace Workbench.Cli;

internal static class Commands
{
    /// <summary>--db, on every command: the default is runs/workbench.db, or WORKBENCH_DB.</summary>
    internal static readonly Option<string> Db = new("--db")
    {
        Description = "the run database (default: $WORKBENCH_DB or runs/workbench.db)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("WORKBENCH_DB") is { Length: > 0 } db ? db : "runs/workbench.db",
    };

    internal static int Run(string[] args)
    {
        var root = new RootCommand("Workbench: tracked machine-learning experiments from YAML specs")
        {
            RunCommand.Create(),
            ValidateCommand.Create(),
            DoctorCommand.Create(),
            ListCommand.Create(),
            ShowCommand.Create(),
            CompareCommand.Create(),
            CompareCommand.CreateReport(),
            ResumeCommand.Create(),
            RerunCommand.Create(),
            SampleCommand.Create(),
            ChatCommand.Create(),
            ExportCommand.Create(),
            PlotCommand.Create(),
            SweepCommand.Create(),
            SweepCommand.CreateList(),
            AgentCommand.Create(),
        };
        root.Options.Add(Db);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine($"workbench: {Readable(error.Message)}");
            Console.Error.WriteLine("see: workbench --help");
            return ExitCodes.BadInput;
        }
        return parse.Invoke();
    }

    // System.CommandLine names the expected type as .NET spells it ('System.Nullable`1[System.Int32]').
    private static string Readable(string message) => message
        .Replace("'System.Nullable`1[System.Int32]'", "a whole number up to 2147483647", StringComparison.Ordinal)
        .Replace("'System.Nullable`1[System.Int64]'", "a whole number", StringComparison.Ordinal)
        .Replace("'System.Nullable`1[System.Double]'", "a number", StringComparison.Ordinal)
        .Replace("'System.Int32'", "a whole number up to 2147483647", StringComparison.Ordinal)
        .Replace("'System.Int64'", "a whole number", StringComparison.Ordinal)
        .Replace("'System.Double'", "a number", StringComparison.Ordinal);

    /// <summary>Runs a handler, turning bad input into a message and exit code 2 (no stack trace).</summary>
    internal static int Guard(Func<int> handler)
    {
        try
        {
            return handler();
        }
        catch (SpecException e)
        {
            Console.Error.WriteLine(e.Message);
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is UserError or RunSetupException or RunStoreException or CheckpointException or ChartDataException)
        {
            Console.Error.WriteLine($"workbench: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (DataException e) when (e.IsFetchFailure)
        {
            // Offline, or the registry or cache failed: the input is fine, so not exit 2; no run was written.
            Console.Error.WriteLine($"workbench: failed before the run started: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (TorchException e)
        {
            // A native error outside a run's training loop (sampling, loading): reported, never a crash.
            Console.Error.WriteLine($"workbench: failed: {e.Message}");
            return ExitCodes.Failed;
        }
    }

    internal static RunStore OpenStore(ParseResult parse)
    {
        var path = parse.GetValue(Db)!;
        return RunStore.Open(path);
    }

    /// <summary>The runs that RUN... names (ids, prefixes, names, name@best), each once, in the order given.</summary>
    internal static IReadOnlyList<RunRecord> ResolveRuns(RunStore store, IEnumerable<string> references) =>
        references.Select(store.Resolve).DistinctBy(r => r.Id).ToList();

    /// <summary>
    /// Writes an output the user named (--out): a path that cannot be written (a folder, a file where a
    /// folder should be, no permission) is bad input that names the path, not a crash. The writers
    /// write atomically, so a refused path is left without a file.
    /// </summary>
    internal static void WriteOutput(string path, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"cannot write {path}: {e.Message}");
        }
    }
}
