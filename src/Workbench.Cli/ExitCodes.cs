// The CLI's exit codes (docs/design.md): scripts depend on them.
namespace Workbench.Cli;

internal static class ExitCodes
{
    public const int Done = 0;
    public const int Failed = 1;       // the run failed, diverged, or rerun --verify found a difference
    public const int BadInput = 2;     // config, arguments, unknown run: nothing was written
    public const int Interrupted = 130;

    /// <summary>How a run (or a pipeline's last stage run) ended, as an exit code.</summary>
    public static int Of(Tracking.RunStatus status) => status switch
    {
        Tracking.RunStatus.Finished or Tracking.RunStatus.Pruned => Done,
        Tracking.RunStatus.Killed => Interrupted,
        _ => Failed,
    };
}
