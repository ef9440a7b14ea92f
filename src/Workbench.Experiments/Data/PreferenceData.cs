// Preference pairs for the reward model and DPO: each pair's prompt with its chosen and its rejected
// answer, encoded in the chat template (the answer's tokens and end of turn marked as trained), for
// training and held out; and, for the task suite, its held-out prompts for val/exact_match.
using Workbench.Data.Chat;
using Workbench.Data.Tokenizers;

namespace Workbench.Experiments.Data;

public sealed record EncodedPair(ChatExample Chosen, ChatExample Rejected);

public sealed class PreferenceData(ITokenizer tokenizer, IReadOnlyList<EncodedPair> train, IReadOnlyList<EncodedPair> val, string contentHash, ChatData? chat)
{
    public ITokenizer Tokenizer { get; } = tokenizer;
    public ChatTemplate Template { get; } = new(tokenizer);
    public IReadOnlyList<EncodedPair> Train { get; } = train;
    public IReadOnlyList<EncodedPair> Val { get; } = val;
    public string ContentHash { get; } = contentHash;

    /// <summary>The held-out prompts every stage answers (the task suite), or null (a JSONL file of pairs).</summary>
    public ChatData? Chat { get; } = chat;

    public int LongestExample => Train.Concat(Val).Max(p => Math.Max(p.Chosen.Length, p.Rejected.Length));
}
