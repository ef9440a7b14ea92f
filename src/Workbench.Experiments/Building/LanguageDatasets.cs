// Loads a language-model spec's corpus (names, sotu, text), trains, reuses or loads its tokenizer, and
// tokenizes the splits, caching both by dataset and tokenizer hash so a second run starts at once.
using Workbench.Data;
using Workbench.Data.Tokenizers;
using Workbench.Experiments.Data;
using Workbench.Experiments.Specs;
using Workbench.Torch;

namespace Workbench.Experiments.Building;

public static class LanguageDatasets
{
    public const int DefaultBpeVocab = 4096;

    public static LanguageData Load(ExperimentSpec spec, DataCache cache, Device device, Action<string> log)
    {
        var data = spec.Data;
        var split = data.Split;
        var blockSize = spec.Model.BlockSize ?? 8;
        if (data.Dataset == "names")
        {
            var names = Datasets.Names(cache, split.Val, split.Test ?? 0, (int)spec.Seed);
            var tokenizer = TrainTokenizer(data.Tokenizer, names.ContentHash, string.Join('\n', names.Train), cache, log, names.Train);
            var boundary = tokenizer.SpecialId(SpecialTokens.EndOfText)
                ?? throw new InvalidOperationException("the names tokenizer has no boundary token");
            TokenSplit Split(IReadOnlyList<string> lines)
            {
                var encoded = lines.Select(l => tokenizer.Encode(l)).ToList();
                if (spec.Model.Kind == "char-mlp") return TokenSplit.FromLines(encoded, boundary, blockSize, device);
                // A GPT reads names as one stream, each name followed by the boundary token.
                return TokenSplit.FromStream(encoded.SelectMany(e => e.Append(boundary)).Prepend(boundary).ToArray(), device);
            }
            return new LanguageData(tokenizer, Split(names.Train), Split(names.Val.Count > 0 ? names.Val : names.Train), names.ContentHash);
        }

        var corpus = data.Dataset == "sotu" ? Datasets.Sotu(cache, split.Val, split.Test ?? 0) : Datasets.Text(data.Path!, split.Val, split.Test ?? 0);
        var tok = TrainTokenizer(data.Tokenizer, corpus.ContentHash, corpus.Train, cache, log, null);
        var train = TokenCache.GetOrEncode(cache.Root, corpus.ContentHash, tok, "train", () => corpus.Train);
        var val = corpus.Val.Length > 0 ? TokenCache.GetOrEncode(cache.Root, corpus.ContentHash, tok, "val", () => corpus.Val) : train;
        log($"{data.Dataset}: {train.Length:N0} train and {val.Length:N0} val tokens, vocabulary {tok.VocabSize}");
        return new LanguageData(tok, TokenSplit.FromStream(train, device), TokenSplit.FromStream(val, device), corpus.ContentHash);
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
