// What the user asked for on the command line, beyond the spec itself.
namespace Workbench.Experiments.Runs;

public sealed record RunRequest(
    string DatabasePath,
    string CommandLine,
    string? NameOverride = null,
    IReadOnlyList<string>? ExtraTags = null,
    string? DeviceOverride = null,
    string? RerunOf = null,
    Sweeps.SweepTrialLink? Trial = null,
    Training.ParallelLaunch? Parallel = null);

/// <summary>How a run ended, and where its report is.</summary>
public sealed record RunOutcome(string RunId, Workbench.Tracking.RunStatus Status, string? Error, string? ReportPath);

/// <summary>Bad input found before anything was written (exit code 2).</summary>
public sealed class RunSetupException(string message) : Exception(message);
