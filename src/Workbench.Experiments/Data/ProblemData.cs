// Problems with verifiable answers for RL (grpo): each training problem's prompt encoded up to the
// generation prompt, its answer and the task whose checker judges a completion; and the chat data
// (tokenizer, template, held-out prompts) every stage evaluates on.
namespace Workbench.Experiments.Data;

public sealed class ProblemData(IReadOnlyList<EvalPrompt> train, ChatData chat)
{
    public IReadOnlyList<EvalPrompt> Train { get; } = train;

    public ChatData Chat { get; } = chat;

    /// <summary>The longest training or held-out prompt, in tokens.</summary>
    public int LongestPrompt => Train.Concat(Chat.Eval).Max(p => p.Prompt.Length);
}
