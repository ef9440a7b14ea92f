// Runs the real workbench CLI (the built workbench.dll beside the tests) in a scratch folder, as a user would.
using System.Diagnostics;
using System.Text.Json;

namespace Workbench.Cli.Tests;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string LastLine => Stdout.TrimEnd().Split('\n').Last().Trim();
}

public sealed class CliRunner : IDisposable
{
    public CliRunner()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("wb-cli-").FullName;
        Db = Path.Combine(Directory, "runs", "workbench.db");
    }

    public string Directory { get; }

    /// <summary>What every command gets as --db: a SQLite file in the scratch folder, or a test sets a server URL.</summary>
    public string Db { get; set; }

    /// <summary>Variables set for every command this runner starts (a scratch data cache, a fake npm on PATH).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public Process Start(params string[] args) => Start(args, redirectInput: false);

    private Process Start(string[] args, bool redirectInput)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "workbench.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.ArgumentList.Add("--db");
        start.ArgumentList.Add(Db);
        start.Environment["CI"] = "true";
        foreach (var (name, value) in Environment) start.Environment[name] = value;
        return Process.Start(start)!;
    }

    public static CliResult Wait(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public CliResult Run(params string[] args)
    {
        using var process = Start(args);
        return Wait(process);
    }

    /// <summary>Runs a command with <paramref name="stdin"/> as its standard input, then end of input.</summary>
    public CliResult Run(string[] args, string stdin)
    {
        using var process = Start(args, redirectInput: true);
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        return Wait(process);
    }

    /// <summary>
    /// Asserts a command was turned away as the CLI contract says: the exit code, each expected phrase in
    /// the message, no stack trace, no run id on stdout, and no run database created.
    /// </summary>
    public void AssertRefusedWithNothingWritten(CliResult result, int exitCode, params string[] phrases)
    {
        Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode}, expected {exitCode}: {result.Stderr}");
        foreach (var phrase in phrases) Assert.Contains(phrase, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.False(File.Exists(Db), $"the refused command created {Db}");
    }

    /// <summary>What `show RUN --json` prints, parsed.</summary>
    public JsonElement Show(string run) => JsonDocument.Parse(Run("show", run, "--json").Stdout).RootElement;

    /// <summary>A metric's steps and values as `export RUN --format json` gives them; both empty when it was never logged.</summary>
    public (double[] Steps, double[] Values) Series(string run, string key)
    {
        var metrics = JsonDocument.Parse(Run("export", run, "--format", "json").Stdout).RootElement.GetProperty("metrics");
        if (!metrics.TryGetProperty(key, out var metric)) return ([], []);
        return (metric.GetProperty("step").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
            metric.GetProperty("value").EnumerateArray().Select(v => v.GetDouble()).ToArray());
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
