// One seed of a sweep trial runs as an ordinary `workbench run SPEC --set ... --sweep-trial ID:N` in a
// child process. Both sides are here: the agent starting it (output to a log file, Ctrl-C forwarded
// once) and the child tying its life to the agent's, so that no trial ever runs twice at once: a child
// whose agent dies (kill -9 included) is killed by the kernel (PR_SET_PDEATHSIG), and one whose agent
// died before it could ask for that exits at once.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Workbench.Cli;

internal static class TrialProcess
{
    /// <summary>The agent's pid, set for the child, which checks that its parent is still that process.</summary>
    private const string ParentVariable = "WORKBENCH_SWEEP_AGENT_PID";

    private const int PrSetPdeathsig = 1;
    private const int SigInt = 2;
    private const int SigKill = 9;

    /// <summary>
    /// Starts the child and waits for it: its stdout and stderr go to <paramref name="logPath"/>, and
    /// <paramref name="cancellation"/> (the agent's Ctrl-C) sends it one SIGINT, after which it
    /// checkpoints and ends as killed. Returns its exit code (128 + the signal when a signal ended it).
    /// </summary>
    /// <remarks>
    /// The kernel sends the parent-death signal when the thread that forked the child ends, so call this
    /// from a thread that lives until the child has exited (the agent's slot threads do).
    /// </remarks>
    public static int Run(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string logPath, CancellationToken cancellation)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,   // a trial reads nothing; nor may it take the terminal's input
            UseShellExecute = false,
        };
        // Run as `dotnet workbench.dll` (tests, `dotnet run`): the child needs the same dll.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(TrialProcess).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.Environment[ParentVariable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        using var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        using var process = new Process { StartInfo = start };
        DataReceivedEventHandler write = (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.WriteLine(e.Data);
        };
        process.OutputDataReceived += write;
        process.ErrorDataReceived += write;
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (cancellation.Register(() => Signal(process.Id, SigInt)))
        {
            process.WaitForExit();
        }
        return process.ExitCode;
    }

    /// <summary>
    /// Called first in a trial's run process: dies with the agent, leaves the terminal's process group
    /// (the agent forwards one Ctrl-C; a second would abort the run without its checkpoint), and exits
    /// when the agent is already gone.
    /// </summary>
    public static void DieWithAgent()
    {
        if (!OperatingSystem.IsLinux()) return;
        Prctl(PrSetPdeathsig, SigKill, 0, 0, 0);
        SetProcessGroup(0, 0);
        var agent = Environment.GetEnvironmentVariable(ParentVariable);
        if (agent is null || !int.TryParse(agent, CultureInfo.InvariantCulture, out var pid) || ParentProcessId() != pid)
        {
            Console.Error.WriteLine("workbench: the sweep agent that started this trial is gone (or this run was not started by one); not training");
            Environment.Exit(ExitCodes.Interrupted);
        }
    }

    private static void Signal(int pid, int signal)
    {
        if (OperatingSystem.IsLinux()) Kill(pid, signal);
    }

    [DllImport("libc", EntryPoint = "prctl")]
    private static extern int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [DllImport("libc", EntryPoint = "setpgid")]
    private static extern int SetProcessGroup(int pid, int group);

    [DllImport("libc", EntryPoint = "getppid")]
    private static extern int ParentProcessId();

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
