// Loads a chat spec's conversations: the task suite (generated from the seed, held out by content) or
// a JSONL file in TRL's shapes (split by data.split.val, seeded). The tokenizer is the one of the run
// train.init_from names when there is one (never retrained: its ids are what the weights mean), else
// one trained here on the training text, with the chat template's four specials.
using System.Text;
using Workbench.Data;
using Workbench.Data.Chat;
using Workbench.Data.Tasks;
using Workbench.Data.Tokenizers;
using Workbench.Experiments.Data;
using Workbench.Experiments.Specs;
using Workbench.Torch;

namespace Workbench.Experiments.Building;

public static class ChatDatasets
{
    public static ChatData Load(ExperimentSpec spec, DataCache cache, Action<string> log, ITokenizer? inherited)
    {
        var data = spec.Data;
        IReadOnlyList<(IReadOnlyList<ChatMessage> Conversation, string? Task)> train, val;
        string alphabet = "";
        if (data.Tasks is { } tasks)
        {
            var suite = new TaskSuite(tasks.Names, tasks.Difficulty, data.Split.Val > 0 ? data.Split.Val : TaskSuite.DefaultHeldOutFraction);
            var seed = (int)spec.Seed;
            train = suite.Train(tasks.Problems, seed, tasks.SkipProblems).Select(p => (p.Conversation, (string?)p.Task)).ToList();
            val = suite.HeldOut(tasks.EvalProblems, seed).Select(p => (p.Conversation, (string?)p.Task)).ToList();
            alphabet = suite.Alphabet();
        }
        else
        {
            var (trainConversations, valConversations) = Split(TrlJsonl.ReadConversations(data.Path!), spec.Seed, data.Split.Val, data.Path!, "conversations");
            train = trainConversations.Select(c => (c, (string?)null)).ToList();
            val = valConversations.Select(c => (c, (string?)null)).ToList();
        }
        return Build(spec, cache, log, inherited, train, val, alphabet);
    }

    /// <summary>
    /// Problems with verifiable answers (grpo): the task suite's training problems, or a JSONL file's {prompt, answer,
    /// task} records split by data.split.val; each prompt encoded up to the generation prompt. The held-out problems
    /// are the chat data's evaluation prompts, as for every other stage.
    /// </summary>
    public static ProblemData LoadProblems(ExperimentSpec spec, DataCache cache, Action<string> log, ITokenizer? inherited)
    {
        var data = spec.Data;
        IReadOnlyList<TaskProblem> train;
        ChatData chat;
        if (data.Tasks is { } tasks)
        {
            chat = Load(spec, cache, log, inherited);
            var suite = new TaskSuite(tasks.Names, tasks.Difficulty, data.Split.Val > 0 ? data.Split.Val : TaskSuite.DefaultHeldOutFraction);
            train = suite.Train(tasks.Problems, (int)spec.Seed, tasks.SkipProblems);
        }
        else
        {
            (train, var val) = Split(TrlJsonl.ReadProblems(data.Path!), spec.Seed, data.Split.Val, data.Path!, "problems");
            chat = Build(spec, cache, log, inherited, train.Select(p => (p.Conversation, (string?)p.Task)).ToList(),
                val.Select(p => (p.Conversation, (string?)p.Task)).ToList(), "");
        }
        var prompts = train.Select(p => new EvalPrompt(chat.Template.EncodePrompt(p.Question), p.Answer, p.Task)).ToList();
        return new ProblemData(prompts, chat);
    }

    private static ChatData Build(ExperimentSpec spec, DataCache cache, Action<string> log, ITokenizer? inherited,
        IReadOnlyList<(IReadOnlyList<ChatMessage> Conversation, string? Task)> train,
        IReadOnlyList<(IReadOnlyList<ChatMessage> Conversation, string? Task)> val, string alphabet)
    {
        var data = spec.Data;
        var trainText = ChatTemplate.Corpus(train.Select(t => t.Conversation));
        var valText = ChatTemplate.Corpus(val.Select(t => t.Conversation));
        var contentHash = HashOf(trainText + SpecialTokens.Pad + valText);
        var tokenizer = inherited ?? Tokenizer(data.Tokenizer, alphabet, train, contentHash, cache, log);
        var template = Template(tokenizer, inherited != null);
        if (inherited != null) LanguageDatasets.CheckEncodes(inherited, [trainText, valText], "the conversation data", specials: true);
        if (val.Count == 0 || val.Any(v => v.Conversation[^1].Role != ChatMessage.AssistantRole))
            throw new DataException($"{data.Path ?? data.Dataset}: every held-out conversation must end with an assistant turn, the answer it is judged by");

        EvalPrompt Prompt((IReadOnlyList<ChatMessage> Conversation, string? Task) c) =>
            new(template.EncodePrompt(c.Conversation.SkipLast(1)), c.Conversation[^1].Content, c.Task);
        var trainPrompts = train.Where(t => t.Conversation[^1].Role == ChatMessage.AssistantRole).Select(Prompt).ToList();
        return new ChatData(tokenizer, train.Select(t => template.Encode(t.Conversation)).ToList(),
            val.Select(v => template.Encode(v.Conversation)).ToList(), val.Select(Prompt).ToList(), contentHash, trainText, valText, trainPrompts);
    }

    /// <summary>
    /// Preference pairs: the task suite's (chosen the right answer, rejected a wrong one as near as data.hardness
    /// says, for the training and the held-out problems) or a JSONL file's {prompt, chosen, rejected}.
    /// </summary>
    public static PreferenceData LoadPreferences(ExperimentSpec spec, DataCache cache, Action<string> log, ITokenizer? inherited)
    {
        var data = spec.Data;
        IReadOnlyList<PreferencePair> train, val;
        ChatData? chat = null;
        ITokenizer tokenizer;
        ChatTemplate template;
        if (data.Tasks is { } tasks)
        {
            chat = Load(spec, cache, log, inherited);        // the tokenizer, and the held-out prompts for val/exact_match
            (tokenizer, template) = (chat.Tokenizer, chat.Template);
            var suite = new TaskSuite(tasks.Names, tasks.Difficulty, data.Split.Val > 0 ? data.Split.Val : TaskSuite.DefaultHeldOutFraction);
            var seed = (int)spec.Seed;
            train = suite.Preferences(suite.Train(tasks.Problems, seed, tasks.SkipProblems), tasks.Hardness, seed);
            val = suite.Preferences(suite.HeldOut(tasks.EvalProblems, seed), tasks.Hardness, seed + 1);
        }
        else
        {
            var pairs = TrlJsonl.ReadPreferences(data.Path!);
            (train, val) = Split(pairs, spec.Seed, data.Split.Val, data.Path!, "pairs");
            var conversations = train.Select(p => (Conversation: (IReadOnlyList<ChatMessage>)[ChatMessage.User(p.Prompt), ChatMessage.Assistant(p.Chosen),
                ChatMessage.Assistant(p.Rejected)], Task: (string?)null)).ToList();
            tokenizer = inherited ?? Tokenizer(data.Tokenizer, "", conversations, HashOf(string.Join("\n", pairs)), cache, log);
            template = Template(tokenizer, inherited != null);
            if (inherited != null) LanguageDatasets.CheckEncodes(inherited, pairs.Select(p => p.Prompt + p.Chosen + p.Rejected), data.Path!);
        }
        EncodedPair Encode(PreferencePair p) => new(template.Encode([ChatMessage.User(p.Prompt), ChatMessage.Assistant(p.Chosen)]),
                                                   template.Encode([ChatMessage.User(p.Prompt), ChatMessage.Assistant(p.Rejected)]));
        var hash = HashOf(string.Join("\n", train.Concat(val).Select(p => $"{p.Prompt}\t{p.Chosen}\t{p.Rejected}")));
        return new PreferenceData(tokenizer, train.Select(Encode).ToList(), val.Select(Encode).ToList(), hash, chat);
    }

    // A seeded split of a file's records: the held-out fraction, in file order within each side.
    private static (IReadOnlyList<T> Train, IReadOnlyList<T> Val) Split<T>(IReadOnlyList<T> records, long seed, double fraction, string path, string what)
    {
        var order = Enumerable.Range(0, records.Count).ToArray();
        new SplitMix64(unchecked((ulong)seed)).Shuffle(order);
        var held = (int)Math.Round(records.Count * fraction);
        if (held == 0 || held == records.Count)
            throw new DataException($"{path}: {records.Count} {what} split {fraction:0.##} for evaluation leave " +
                                    $"{(held == 0 ? "none to evaluate on" : "none to train on")}; change data.split.val or add lines");
        return (order[held..].Order().Select(i => records[i]).ToList(), order[..held].Order().Select(i => records[i]).ToList());
    }

    // A tokenizer inherited from train.init_from without the chat specials is the spec's mistake: say which key, and
    // check it before the characters, the smaller problem a run on plain text also has.
    private static ChatTemplate Template(ITokenizer tokenizer, bool inherited)
    {
        try { return new ChatTemplate(tokenizer); }
        catch (DataException e) when (inherited)
        {
            throw new DataException($"train.init_from: {e.Message} Start from a run trained on chat data (dataset tasks or jsonl).");
        }
    }

    private static string HashOf(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    // char: every character of the training text and the suite's alphabet, plus the four specials.
    // bpe: trained on the conversations' plain text (no special strings to merge), cached by content and size.
    private static ITokenizer Tokenizer(TokenizerSpec spec, string alphabet, IReadOnlyList<(IReadOnlyList<ChatMessage> Conversation, string? Task)> train,
        string contentHash, DataCache cache, Action<string> log)
    {
        var plain = string.Join("\n", train.SelectMany(t => t.Conversation).Select(m => m.Role + "\n" + m.Content));
        if (spec.Kind == "char") return CharTokenizer.TrainForChat([alphabet, plain]);
        if (spec.Kind == Gpt2Tokenizer.KindName) return Gpt2Tokenizer.Instance;
        var vocab = spec.VocabSize ?? LanguageDatasets.DefaultBpeVocab;
        var path = Path.Combine(cache.Root, "tokenizers", $"bpe-chat-{contentHash[..16]}-{vocab}.json");
        if (File.Exists(path)) return BpeTokenizer.Load(File.ReadAllText(path));
        log($"training a {vocab}-token BPE tokenizer on {plain.Length:N0} characters of conversations");
        var tokenizer = BpeTokenizer.Train(plain + alphabet, vocab);
        AtomicFile.WriteAllText(path, tokenizer.Save());
        return tokenizer;
    }
}
