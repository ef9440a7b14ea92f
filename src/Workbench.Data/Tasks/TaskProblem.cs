// One verifiable problem: what the model is asked, the one right answer, and which task checks it.
using Workbench.Data.Chat;

namespace Workbench.Data.Tasks;

/// <summary>
/// A problem of a named task. <paramref name="Key"/> is its canonical content: trivial variants of a
/// problem (3 + 5 and 5 + 3, the same words in another order for sorting) share it, and the train and
/// held-out split is decided by it. A problem read from a file has its prompt as its key.
/// </summary>
public sealed record TaskProblem(string Task, string Prompt, string Answer, string Key)
{
    /// <summary>The user turn alone, for sampling an answer after the generation prompt.</summary>
    public IReadOnlyList<ChatMessage> Question => [ChatMessage.User(Prompt)];

    /// <summary>The user turn and the right answer as the assistant's turn, for SFT and pretraining text.</summary>
    public IReadOnlyList<ChatMessage> Conversation => [ChatMessage.User(Prompt), ChatMessage.Assistant(Answer)];
}
