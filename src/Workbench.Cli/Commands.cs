// The command table (DESIGN.md, "CLI contract"); each command lives in its own file.
namespace Workbench.Cli;

internal static class Commands
{
    internal static int Run(string[] args)
    {
        Console.Error.WriteLine("workbench: commands are not wired yet");
        return 2;
    }
}
