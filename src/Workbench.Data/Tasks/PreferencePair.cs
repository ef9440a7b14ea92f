// A preference record: a prompt, the answer to prefer and one to reject (TRL's {prompt, chosen, rejected}).
namespace Workbench.Data.Tasks;

public sealed record PreferencePair(string Prompt, string Chosen, string Rejected);
