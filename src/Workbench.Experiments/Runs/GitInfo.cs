// The git state of the working tree a run was started from: commit, dirty flag and the uncommitted diff.
using System.Diagnostics;

namespace Workbench.Experiments.Runs;

public sealed record GitInfo(string? Commit, bool Dirty, string Diff)
{
    public static readonly GitInfo None = new(null, false, "");

    /// <summary>Reads git state for <paramref name="directory"/>; outside a repository (or without git) it is <see cref="None"/>.</summary>
    public static GitInfo Capture(string directory)
    {
        var commit = Git(directory, "rev-parse HEAD")?.Trim();
        if (string.IsNullOrEmpty(commit)) return None;
        var status = Git(directory, "status --porcelain --untracked-files=no") ?? "";
        var diff = status.Length > 0 ? Git(directory, "diff HEAD") ?? "" : "";
        return new GitInfo(commit, status.Length > 0, diff);
    }

    private static string? Git(string directory, string arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start);
            if (process == null) return null;
            var output = process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output.Result : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;  // git is not installed
        }
    }
}
