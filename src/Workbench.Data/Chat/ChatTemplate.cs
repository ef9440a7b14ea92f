// The chat template (ChatML) every chat stage renders conversations with, as text and as tokens.
// A turn is "<|im_start|>role\ncontent<|im_end|>\n"; the generation prompt "<|im_start|>assistant\n"
// asks for the next assistant turn, which ends at <|im_end|>. The specials are the tokenizer's
// reserved ids and only the template emits them: a user's text that spells "<|im_end|>" is
// encoded as ordinary characters. Pad is its own token, never end of turn, so masking padding
// never masks the end of turn the model must learn to emit (trl #1623).
using Workbench.Data.Tokenizers;

namespace Workbench.Data.Chat;

public sealed class ChatTemplate
{
    readonly ITokenizer _tokenizer;

    /// <summary>Binds the template to a tokenizer that reserves all four specials.</summary>
    public ChatTemplate(ITokenizer tokenizer)
    {
        _tokenizer = tokenizer;
        ImStartId = Special(SpecialTokens.ImStart);
        EndOfTurnId = Special(SpecialTokens.ImEnd);
        PadId = Special(SpecialTokens.Pad);
        EndOfTextId = Special(SpecialTokens.EndOfText);
        if (new HashSet<int> { ImStartId, EndOfTurnId, PadId, EndOfTextId }.Count != 4)
            throw new DataException($"the {tokenizer.Kind} tokenizer gives two chat specials one id; chat data needs four distinct ids.");
    }

    public int ImStartId { get; }

    /// <summary>&lt;|im_end|&gt;: ends every turn; sampling an answer stops on it.</summary>
    public int EndOfTurnId { get; }

    /// <summary>&lt;|pad|&gt;: fills batch rows; never a target.</summary>
    public int PadId { get; }

    /// <summary>&lt;|endoftext|&gt;: ends each conversation in pretraining text.</summary>
    public int EndOfTextId { get; }

    /// <summary>
    /// The conversation as text, the specials spelled out; with <paramref name="addGenerationPrompt"/>,
    /// followed by "&lt;|im_start|&gt;assistant\n".
    /// </summary>
    public static string Render(IEnumerable<ChatMessage> messages, bool addGenerationPrompt = false) =>
        string.Concat(Pieces(messages, addGenerationPrompt).Select(p => p.Text));

    /// <summary>Conversations one after another, each followed by &lt;|endoftext|&gt;: pretraining text in chat form.</summary>
    public static string Corpus(IEnumerable<IEnumerable<ChatMessage>> conversations) =>
        string.Concat(conversations.Select(c => Render(c) + SpecialTokens.EndOfText));

    /// <summary>The conversation's ids with the assistant's content and end-of-turn tokens marked trained.</summary>
    public ChatExample Encode(IEnumerable<ChatMessage> messages) => EncodePieces(Pieces(messages, addGenerationPrompt: false));

    /// <summary>The conversation so far and the generation prompt: what a model continues to answer.</summary>
    public int[] EncodePrompt(IEnumerable<ChatMessage> messages) => EncodePieces(Pieces(messages, addGenerationPrompt: true)).Ids;

    ChatExample EncodePieces(IEnumerable<(string Text, bool Special, bool Trained)> pieces)
    {
        var ids = new List<int>();
        var trained = new List<bool>();
        foreach (var piece in pieces)
        {
            // Only the template's own pieces become specials; content is always ordinary text.
            int[] pieceIds = piece.Special ? [_tokenizer.SpecialId(piece.Text)!.Value] : _tokenizer.Encode(piece.Text);
            ids.AddRange(pieceIds);
            trained.AddRange(Enumerable.Repeat(piece.Trained, pieceIds.Length));
        }
        return new([.. ids], [.. trained]);
    }

    /// <summary>
    /// The one definition of the template: each turn as pieces of text, special or ordinary, and
    /// whether the model is trained on them. Rendering and encoding both walk it, so the text and
    /// the ids never disagree.
    /// </summary>
    static IEnumerable<(string Text, bool Special, bool Trained)> Pieces(IEnumerable<ChatMessage> messages, bool addGenerationPrompt)
    {
        foreach (var message in messages)
        {
            if (!ChatMessage.Roles.Contains(message.Role))
                throw new ArgumentException($"role \"{message.Role}\" is not one of {string.Join(", ", ChatMessage.Roles)}", nameof(messages));
            bool assistant = message.Role == ChatMessage.AssistantRole;
            yield return (SpecialTokens.ImStart, true, false);
            yield return (message.Role + "\n", false, false);
            if (message.Content.Length > 0) yield return (message.Content, false, assistant);
            yield return (SpecialTokens.ImEnd, true, assistant);
            yield return ("\n", false, false);
        }
        if (addGenerationPrompt)
        {
            yield return (SpecialTokens.ImStart, true, false);
            yield return (ChatMessage.AssistantRole + "\n", false, false);
        }
    }

    int Special(string token) => _tokenizer.SpecialId(token) ?? throw new DataException(
        $"the {_tokenizer.Kind} tokenizer has no {token}; chat data needs {string.Join(", ", SpecialTokens.Bpe)}" +
        (_tokenizer.Kind == CharTokenizer.KindName ? " (a char tokenizer gets them when trained with CharTokenizer.TrainForChat)." : "."));
}
