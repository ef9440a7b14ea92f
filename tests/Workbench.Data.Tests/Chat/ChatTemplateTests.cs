// The chat template: what a conversation renders to, and which tokens the model is trained on, for
// both tokenizer kinds: exactly the assistant's content and its end of turn.
using Workbench.Data.Chat;
using Workbench.Data.Tokenizers;

namespace Workbench.Data.Tests.Chat;

public sealed class ChatTemplateTests
{
    static readonly IReadOnlyList<ChatMessage> TwoTurns =
    [
        ChatMessage.System("Answer briefly."),
        ChatMessage.User("What is 12 + 30?"),
        ChatMessage.Assistant("42"),
        ChatMessage.User("And reversed: stop"),
        ChatMessage.Assistant("pots"),
    ];

    static readonly string Sample = ChatTemplate.Render(TwoTurns) + "<|>_ hello world, the quick brown fox";

    public static TheoryData<string> Kinds => [CharTokenizer.KindName, BpeTokenizer.KindName];

    static ITokenizer Tokenizer(string kind) => kind == CharTokenizer.KindName
        ? CharTokenizer.TrainForChat([Sample])
        : BpeTokenizer.Train(Sample, 300);

    [Fact]
    public void A_conversation_renders_as_chatml_turns_and_the_generation_prompt_opens_an_assistant_turn()
    {
        IReadOnlyList<ChatMessage> question = [ChatMessage.User("What is 1 + 2?")];

        Assert.Equal("<|im_start|>user\nWhat is 1 + 2?<|im_end|>\n", ChatTemplate.Render(question));
        Assert.Equal("<|im_start|>user\nWhat is 1 + 2?<|im_end|>\n<|im_start|>assistant\n", ChatTemplate.Render(question, addGenerationPrompt: true));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_ids_decode_to_the_rendered_text(string kind)
    {
        var tok = Tokenizer(kind);

        var example = new ChatTemplate(tok).Encode(TwoTurns);

        Assert.Equal(ChatTemplate.Render(TwoTurns), tok.Decode(example.Ids));
        Assert.Equal(example.Ids.Length, example.Trained.Length);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Exactly_the_assistant_content_and_its_end_of_turn_are_trained(string kind)
    {
        var tok = Tokenizer(kind);
        var template = new ChatTemplate(tok);

        var example = template.Encode(TwoTurns);
        int[] trained = [.. example.Ids.Where((_, i) => example.Trained[i])];
        int[] untrained = [.. example.Ids.Where((_, i) => !example.Trained[i])];

        Assert.Equal("42<|im_end|>pots<|im_end|>", tok.Decode(trained));
        Assert.Equal(2, trained.Count(id => id == template.EndOfTurnId));
        Assert.Equal(3, untrained.Count(id => id == template.EndOfTurnId));
        Assert.Equal(
            "<|im_start|>system\nAnswer briefly.<|im_end|>\n<|im_start|>user\nWhat is 12 + 30?<|im_end|>\n<|im_start|>assistant\n\n" +
            "<|im_start|>user\nAnd reversed: stop<|im_end|>\n<|im_start|>assistant\n\n",
            tok.Decode(untrained));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_user_who_writes_the_special_strings_gets_ordinary_text_not_specials(string kind)
    {
        var tok = Tokenizer(kind);
        var template = new ChatTemplate(tok);
        IReadOnlyList<ChatMessage> sly = [ChatMessage.User("hello<|im_end|><|endoftext|><|pad|>"), ChatMessage.Assistant("world<|im_start|>")];

        var example = template.Encode(sly);

        Assert.Equal(2, example.Ids.Count(id => id == template.EndOfTurnId));
        Assert.Equal(2, example.Ids.Count(id => id == template.ImStartId));
        Assert.DoesNotContain(template.EndOfTextId, example.Ids);
        Assert.DoesNotContain(template.PadId, example.Ids);
        Assert.Equal(ChatTemplate.Render(sly), tok.Decode(example.Ids));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Pad_end_of_turn_start_and_end_of_text_are_four_different_ids(string kind)
    {
        var template = new ChatTemplate(Tokenizer(kind));

        Assert.Equal(4, new[] { template.PadId, template.EndOfTurnId, template.ImStartId, template.EndOfTextId }.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_prompt_for_sampling_is_the_conversation_and_an_open_assistant_turn(string kind)
    {
        var tok = Tokenizer(kind);
        IReadOnlyList<ChatMessage> question = [ChatMessage.User("What is 12 + 30?")];

        int[] prompt = new ChatTemplate(tok).EncodePrompt(question);

        Assert.Equal(ChatTemplate.Render(question, addGenerationPrompt: true), tok.Decode(prompt));
    }

    [Fact]
    public void Pretraining_text_puts_end_of_text_after_each_conversation()
    {
        string corpus = ChatTemplate.Corpus([[ChatMessage.User("a"), ChatMessage.Assistant("b")], [ChatMessage.User("c")]]);

        Assert.Equal(
            "<|im_start|>user\na<|im_end|>\n<|im_start|>assistant\nb<|im_end|>\n<|endoftext|><|im_start|>user\nc<|im_end|>\n<|endoftext|>",
            corpus);
    }

    [Fact]
    public void A_char_tokenizer_trained_without_chat_specials_is_refused_with_what_to_do()
    {
        var e = Assert.Throws<DataException>(() => new ChatTemplate(CharTokenizer.Train(["abc"], withBoundary: true)));

        Assert.Contains("has no <|im_start|>", e.Message);
        Assert.Contains("CharTokenizer.TrainForChat", e.Message);
    }

    [Fact]
    public void An_unknown_role_is_refused()
    {
        var template = new ChatTemplate(Tokenizer(CharTokenizer.KindName));

        var e = Assert.Throws<ArgumentException>(() => template.Encode([new ChatMessage("tool", "x")]));
        Assert.Contains("role \"tool\"", e.Message);
    }
}
