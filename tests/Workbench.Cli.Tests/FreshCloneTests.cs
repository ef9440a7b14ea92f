// The README's first command, as a new user meets it: a fresh clone of this repository (its
// committed state), `make run CONFIG=configs/mnist-mlp.yaml` builds everything, trains MNIST and
// prints the run id last; a second `make run` rebuilds nothing and the clone stays clean.
using System.Diagnostics;

namespace Workbench.Cli.Tests;

public sealed class FreshCloneTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wb-clone-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    [Trait("Category", "FreshClone")]
    public void The_readme_command_builds_trains_and_reports_from_a_fresh_clone_and_a_second_run_rebuilds_nothing()
    {
        var repository = RepositoryRoot();
        Skip.If(repository is null, "not inside a git checkout of the repository");
        var clone = Path.Combine(_dir, "workbench");
        Assert.Equal(0, Execute("git", _dir, "clone", "--quiet", repository!, clone).ExitCode);
        var shared = Path.Combine(Path.GetDirectoryName(repository)!, "shared");
        if (Directory.Exists(shared)) Directory.CreateSymbolicLink(Path.Combine(_dir, "shared"), shared);

        var first = Execute("make", clone, "run", "CONFIG=configs/mnist-mlp.yaml");
        var second = Execute("make", clone, "run", "CONFIG=configs/mnist-mlp.yaml", "ARGS=--set train.max_steps=20");

        Assert.True(first.ExitCode == 0, first.Stderr);
        var id = first.LastLine;
        Assert.Matches("^[a-z0-9]{8}$", id);
        Assert.True(File.Exists(Path.Combine(clone, "runs", id, "report.html")), "the run wrote no report");
        var show = Execute(Path.Combine(clone, "bin", "workbench"), clone, "show", id, "--json");
        Assert.Contains("\"status\": \"finished\"", show.Stdout);
        Assert.Matches("\"test/acc\": 0\\.9[7-9]", show.Stdout);

        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.DoesNotContain("publishing the CLI", second.Stderr);
        Assert.Equal("", Execute("git", clone, "status", "--porcelain").Stdout.Trim());
    }

    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Workbench.sln")) && Directory.Exists(Path.Combine(dir.FullName, ".git")))
                return dir.FullName;
        return null;
    }

    private static CliResult Execute(string program, string directory, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["CI"] = "true";
        // Run as a user's shell would, not as a sub-make of `make test` (which would print make's
        // "Entering/Leaving directory" lines after the run id).
        foreach (var variable in new[] { "MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES" }) start.Environment.Remove(variable);
        using var process = Process.Start(start)!;
        return CliRunner.Wait(process);
    }
}
