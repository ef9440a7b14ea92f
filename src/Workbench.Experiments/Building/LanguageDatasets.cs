// Loads a language-model spec's corpus (names, sotu, text, tasks), trains its tokenizer (or loads GPT-2's,
// or takes the one of the run it starts from, which it never retrains: the weights' token ids mean that
// tokenizer's tokens), and tokenizes the splits, caching both by dataset and tokenizer hash so a second run starts at once.
using Workbench.Data;
using Workbench.Data.Tokenizers;
using Workbench.Experiments.Data;
using Workbench.Experiments.Specs;
using Workbench.Torch;

namespace Workbench.Experiments.Building;

public static class LanguageDatasets
{
    public const int DefaultBpeVocab = 4096;

    /// <param name="inherited">The tokenizer of the run train.init_from names, or null to train one from the spec.</param>
    public static LanguageData Load(ExperimentSpec spec, DataCache cache, Device device, Action<string> log, ITokenizer? inherited = null)
    {
        if (inherited != null && inherited.Kind != spec.Data.Tokenizer.Kind)
            throw new DataException($"data.tokenizer.kind is {spec.Data.Tokenizer.Kind}, but the run train.init_from names was trained with a " +
                                    $"{inherited.Kind} tokenizer, whose token ids its weights use; set data.tokenizer.kind: {inherited.Kind}");
        var data = spec.Data;
        var split = data.Split;
        if (data.Tasks != null)
        {
            // The task suite as pretraining text: the conversations in the chat template, specials and all.
            var chat = ChatDatasets.Load(spec, cache, log, inherited);
            var trainIds = chat.Tokenizer.Encode(chat.TrainText, allowSpecial: true);
            var valIds = chat.Tokenizer.Encode(chat.ValText, allowSpecial: true);
            log($"tasks: {trainIds.Length:N0} train and {valIds.Length:N0} val tokens, vocabulary {chat.Tokenizer.VocabSize}");
            return new LanguageData(chat.Tokenizer, TokenSplit.FromStream(trainIds, device), TokenSplit.FromStream(valIds, device), chat.ContentHash, chat);
        }
        var blockSize = ((LanguageModelSpec)spec.Model).BlockSize;
        if (data.Dataset == "names")
        {
            var names = Datasets.Names(cache, split.Val, split.Test ?? 0, (int)spec.Seed);
            var tokenizer = inherited ?? TrainTokenizer(data.Tokenizer, names.ContentHash, string.Join('\n', names.Train), cache, log, names.Train);
            if (inherited != null) CheckEncodes(inherited, names.Train.Concat(names.Val), "names");
            var boundary = tokenizer.SpecialId(SpecialTokens.EndOfText)
                ?? throw new DataException("names are read one per line, ended by <|endoftext|>, but the tokenizer of the run train.init_from " +
                                           "names has no such token (it was trained on running text)");
            TokenSplit Split(IReadOnlyList<string> lines)
            {
                var encoded = lines.Select(l => tokenizer.Encode(l)).ToList();
                if (spec.Model is CharMlpSpec) return TokenSplit.FromLines(encoded, boundary, blockSize, device);
                // A GPT reads names as one stream, each name followed by the boundary token.
                return TokenSplit.FromStream(encoded.SelectMany(e => e.Append(boundary)).Prepend(boundary).ToArray(), device);
            }
            return new LanguageData(tokenizer, Split(names.Train), Split(names.Val.Count > 0 ? names.Val : names.Train), names.ContentHash);
        }

        var corpus = data.Dataset == "sotu" ? Datasets.Sotu(cache, split.Val, split.Test ?? 0) : Datasets.Text(data.Path!, split.Val, split.Test ?? 0);
        var tok = inherited ?? TrainTokenizer(data.Tokenizer, corpus.ContentHash, corpus.Train, cache, log, null);
        if (inherited != null) CheckEncodes(inherited, [corpus.Train, corpus.Val], data.Dataset == "text" ? data.Path! : data.Dataset);
        var train = TokenCache.GetOrEncode(cache.Root, corpus.ContentHash, tok, "train", () => corpus.Train);
        var val = corpus.Val.Length > 0 ? TokenCache.GetOrEncode(cache.Root, corpus.ContentHash, tok, "val", () => corpus.Val) : train;
        log($"{data.Dataset}: {train.Length:N0} train and {val.Length:N0} val tokens, vocabulary {tok.VocabSize}");
        return new LanguageData(tok, TokenSplit.FromStream(train, device), TokenSplit.FromStream(val, device), corpus.ContentHash);
    }

    /// <summary>
    /// Refuses text an inherited char vocabulary cannot encode: its unseen characters would all become one
    /// unknown token the weights never learnt, silently. (A byte-level BPE encodes any text.) With
    /// <paramref name="specials"/>, the chat template's special tokens in the text are tokens, not characters.
    /// </summary>
    internal static void CheckEncodes(ITokenizer tokenizer, IEnumerable<string> texts, string source, bool specials = false)
    {
        if (tokenizer is not CharTokenizer chars) return;
        var known = chars.CodePoints.ToHashSet();
        var missing = new SortedSet<int>();
        foreach (var text in texts)
        {
            void Check(int start, int length)
            {
                foreach (var rune in text.AsSpan(start, length).EnumerateRunes())
                    if (!known.Contains(rune.Value)) missing.Add(rune.Value);
            }
            if (specials) SpecialTokens.Split(text, SpecialTokens.Bpe, Check, _ => { });
            else Check(0, text.Length);
        }
        if (missing.Count == 0) return;
        var shown = string.Join(", ", missing.Take(8).Select(c => $"'{char.ConvertFromUtf32(c)}' (U+{c:X4})"));
        throw new DataException($"{source} has {missing.Count} character(s) the vocabulary of the run train.init_from names cannot encode: " +
                                $"{shown}{(missing.Count > 8 ? ", ..." : "")}; its weights know only the characters it was trained on");
    }

    /// <summary>
    /// char: trained on the training split (fast); bpe: trained once per corpus and vocabulary size, then cached;
    /// gpt2: GPT-2's vocabulary as its package ships it, never trained.
    /// </summary>
    private static ITokenizer TrainTokenizer(TokenizerSpec spec, string datasetHash, string trainText, DataCache cache, Action<string> log,
        IReadOnlyList<string>? lines)
    {
        if (spec.Kind == "char")
            return lines != null ? CharTokenizer.Train(lines, withBoundary: true) : CharTokenizer.Train(trainText);
        if (spec.Kind == Gpt2Tokenizer.KindName) return Gpt2Tokenizer.Instance;
        var vocab = spec.VocabSize ?? DefaultBpeVocab;
        var path = Path.Combine(cache.Root, "tokenizers", $"bpe-{datasetHash[..16]}-{vocab}.json");
        if (File.Exists(path)) return BpeTokenizer.Load(File.ReadAllText(path));
        log($"training a {vocab}-token BPE tokenizer on {trainText.Length:N0} characters");
        var tokenizer = BpeTokenizer.Train(trainText, vocab);
        AtomicFile.WriteAllText(path, tokenizer.Save());
        return tokenizer;
    }
}
