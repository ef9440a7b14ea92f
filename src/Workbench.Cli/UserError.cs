// An error in what the user gave us (arguments, a run reference, a file): printed without a stack trace, exit 2.
namespace Workbench.Cli;

internal sealed class UserError(string message) : Exception(message);
