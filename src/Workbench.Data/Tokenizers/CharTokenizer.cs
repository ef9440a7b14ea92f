// Character-level vocabulary over Unicode scalar values (a surrogate pair is one character).
// Ids: the optional specials first, then the characters of the training text sorted by code point,
// then <unk>, which every unseen character maps to and which decodes to U+FFFD. The specials are
// either the boundary alone (id 0, makemore's '.') or, for chat data, all four of SpecialTokens.Bpe
// (ids 0-3). The boundary is the special "<|endoftext|>", shared with BPE, so a sampler stops on
// SpecialId(SpecialTokens.EndOfText) whichever the kind.
using System.Text;
using System.Text.Json;

namespace Workbench.Data.Tokenizers;

public sealed class CharTokenizer : ITokenizer
{
    public const string KindName = "char";
    const string Unknown = "\uFFFD";

    readonly int[] _codePoints;                 // sorted; id = offset + index
    readonly Dictionary<int, int> _idOf;        // code point -> id
    readonly string[] _text;                    // id -> its text
    readonly byte[][] _bytes;                   // id -> its UTF-8 bytes
    readonly IReadOnlyList<string> _specials;  // id = index
    readonly Lazy<string> _saved;
    readonly Lazy<string> _hash;

    CharTokenizer(int[] codePoints, IReadOnlyList<string> specials)
    {
        _codePoints = codePoints;
        _specials = specials;
        BoundaryId = specials.Count > 0 ? 0 : null;
        UnknownId = specials.Count + codePoints.Length;
        _idOf = new Dictionary<int, int>(codePoints.Length);
        _text = new string[UnknownId + 1];
        for (int s = 0; s < specials.Count; s++) _text[s] = specials[s];
        for (int i = 0; i < codePoints.Length; i++)
        {
            _idOf[codePoints[i]] = specials.Count + i;
            _text[specials.Count + i] = char.ConvertFromUtf32(codePoints[i]);
        }
        _text[UnknownId] = Unknown;
        _bytes = Array.ConvertAll(_text, Encoding.UTF8.GetBytes);
        _saved = new(SaveCanonical);
        _hash = new(() => TokenizerJson.Sha256(_saved.Value));
    }

    public string Kind => KindName;
    public int VocabSize => UnknownId + 1;
    public string Hash => _hash.Value;

    /// <summary>The last id; every character not seen in training encodes to it.</summary>
    public int UnknownId { get; }

    /// <summary>0 when trained with a boundary (the "&lt;|endoftext|&gt;" special), else null.</summary>
    public int? BoundaryId { get; }

    /// <summary>True when trained for chat data: all four reserved specials have ids.</summary>
    public bool HasChatSpecials => _specials.Count == SpecialTokens.Bpe.Count;

    /// <summary>The training characters, in id order.</summary>
    public IReadOnlyList<int> CodePoints => _codePoints;

    public static CharTokenizer Train(string text, bool withBoundary = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Train([text], withBoundary);
    }

    /// <summary>Trains on lines (names, say): line breaks are not part of the vocabulary.</summary>
    public static CharTokenizer Train(IEnumerable<string> lines, bool withBoundary = false)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var seen = new HashSet<int>();
        foreach (string line in lines)
            foreach (var rune in line.EnumerateRunes()) seen.Add(rune.Value);
        return new(Sorted(seen), withBoundary ? [SpecialTokens.EndOfText] : []);
    }

    /// <summary>
    /// Trains for chat data: the four reserved specials take ids 0-3 (SpecialTokens.Bpe order, so
    /// pad is never end of turn), and the vocabulary is the characters of the texts around the
    /// special strings they hold (rendered conversations), not the characters of those strings.
    /// Only chat data asks for this, so other runs' vocabularies and hashes stay as they were.
    /// </summary>
    public static CharTokenizer TrainForChat(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var seen = new HashSet<int>();
        foreach (string text in texts)
            SpecialTokens.Split(text, SpecialTokens.Bpe, (start, length) =>
            {
                foreach (var rune in text.AsSpan(start, length).EnumerateRunes()) seen.Add(rune.Value);
            }, _ => { });
        return new(Sorted(seen), SpecialTokens.Bpe);
    }

    static int[] Sorted(HashSet<int> codePoints)
    {
        int[] sorted = [.. codePoints];
        Array.Sort(sorted);
        return sorted;
    }

    public int[] Encode(string text, bool allowSpecial = false) => Encode(text, allowSpecial, out _);

    /// <summary>
    /// Encodes and counts the characters that were not in the training text (each became
    /// <see cref="UnknownId"/>), so the runner can warn about them.
    /// </summary>
    public int[] Encode(string text, bool allowSpecial, out int unseenCount)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length);
        int unseen = 0;
        void Ordinary(int start, int length)
        {
            foreach (var rune in text.AsSpan(start, length).EnumerateRunes())
            {
                if (_idOf.TryGetValue(rune.Value, out int id)) ids.Add(id);
                else { ids.Add(UnknownId); unseen++; }
            }
        }
        if (allowSpecial && _specials.Count > 0) SpecialTokens.Split(text, _specials, Ordinary, ids.Add);
        else Ordinary(0, text.Length);
        unseenCount = unseen;
        return [.. ids];
    }

    public string Decode(ReadOnlySpan<int> ids)
    {
        var sb = new StringBuilder(ids.Length);
        foreach (int id in ids)
        {
            CheckId(id);
            sb.Append(_text[id]);
        }
        return sb.ToString();
    }

    public ReadOnlySpan<byte> TokenBytes(int id)
    {
        CheckId(id);
        return _bytes[id];
    }

    public int? SpecialId(string token)
    {
        for (int s = 0; s < _specials.Count; s++)
            if (_specials[s] == token) return s;
        return null;
    }

    void CheckId(int id)
    {
        if ((uint)id >= (uint)_text.Length)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"token id {id} is outside this character vocabulary of {_text.Length} ids");
    }

    public string Save() => _saved.Value;

    public string Export() => Save();

    // Characters are saved as code points, not a string, so the file stays readable and exact
    // for control characters, combining marks and unpaired-looking text alike. "chat" is written
    // only when true, so the saved form (and hash) of every tokenizer without it is unchanged.
    string SaveCanonical() => TokenizerJson.Write(w =>
    {
        w.WriteNumber("version", TokenizerJson.Version);
        w.WriteString("kind", KindName);
        w.WriteStartArray("code_points");
        foreach (int cp in _codePoints) w.WriteNumberValue(cp);
        w.WriteEndArray();
        w.WriteBoolean("boundary", BoundaryId is not null);
        if (HasChatSpecials) w.WriteBoolean("chat", true);
    });

    public static CharTokenizer Load(string json)
    {
        using var doc = TokenizerJson.Parse(json);
        var root = TokenizerJson.Root(doc, KindName);
        var array = TokenizerJson.Field(root, "code_points", JsonValueKind.Array);
        var codePoints = new int[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            string where = $"code_points[{i}]";
            int cp = TokenizerJson.AsInt(item, where);
            if (!Rune.IsValid(cp)) throw TokenizerJson.Bad($"{where} = {cp} is not a Unicode scalar value");
            if (i > 0 && cp <= codePoints[i - 1]) throw TokenizerJson.Bad($"{where} = {cp} breaks the ascending order");
            codePoints[i++] = cp;
        }
        bool withBoundary = Bool(root, "boundary") ?? throw TokenizerJson.Bad("\"boundary\" is missing");
        bool chat = Bool(root, "chat") ?? false;
        if (chat && !withBoundary) throw TokenizerJson.Bad("\"chat\" is true but \"boundary\" is false; the chat specials include the boundary");
        return new(codePoints, chat ? SpecialTokens.Bpe : withBoundary ? [SpecialTokens.EndOfText] : []);
    }

    static bool? Bool(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw TokenizerJson.Bad($"\"{name}\" must be true or false");
        return value.GetBoolean();
    }
}
