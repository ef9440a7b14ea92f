// Chat data for the post-training stages and for pretraining on the task suite: the tokenizer and its
// chat template, the training conversations encoded (ids and which tokens are trained), the held-out
// conversations, the held-out prompts every stage answers by greedy decoding for val/exact_match, and the
// training prompts the RL stages roll out on, with the answers their rewards are checked against.
using Workbench.Data.Chat;
using Workbench.Data.Tasks;
using Workbench.Data.Tokenizers;

namespace Workbench.Experiments.Data;

/// <summary>A prompt (ids up to and with the generation prompt), its answer, and the task whose checker judges it (null: exact text): a held-out prompt, or an RL training problem.</summary>
public sealed record EvalPrompt(int[] Prompt, string Answer, string? Task);

public sealed class ChatData(ITokenizer tokenizer, IReadOnlyList<ChatExample> train, IReadOnlyList<ChatExample> val,
    IReadOnlyList<EvalPrompt> eval, string contentHash, string trainText, string valText, IReadOnlyList<EvalPrompt>? trainPrompts = null)
{
    public ITokenizer Tokenizer { get; } = tokenizer;
    public ChatTemplate Template { get; } = new(tokenizer);
    public IReadOnlyList<ChatExample> Train { get; } = train;
    public IReadOnlyList<ChatExample> Val { get; } = val;
    public IReadOnlyList<EvalPrompt> Eval { get; } = eval;
    public string ContentHash { get; } = contentHash;

    /// <summary>Each training conversation's prompt and answer, as <see cref="Eval"/> holds the held-out ones: what RL rolls out on.</summary>
    public IReadOnlyList<EvalPrompt> TrainPrompts { get; } = trainPrompts ?? [];

    /// <summary>The training conversations as pretraining text (chat form, each ended by end-of-text).</summary>
    public string TrainText { get; } = trainText;

    public string ValText { get; } = valText;

    /// <summary>Longest conversation, in tokens.</summary>
    public int LongestExample => Train.Concat(Val).Max(e => e.Length);

    /// <summary>Whether the answer a model gave (decoded, end of turn left out) to an evaluation prompt is right.</summary>
    public static bool IsRight(EvalPrompt prompt, string response) =>
        prompt.Task is { } task && TaskSuite.Find(task) is { } checker
            ? checker.Check(prompt.Answer, response)
            : response.Trim() == prompt.Answer.Trim();
}
