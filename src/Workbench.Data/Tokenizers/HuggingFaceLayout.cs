// The project's byte-level BPE in Hugging Face's tokenizer.json layout, so that other tools (the
// tokenizers library, transformers, tokenizers.js) read a trained vocabulary as it is: a BPE model
// whose vocab and merges are written in GPT-2's byte alphabet, GPT-4's split followed by the
// byte-level mapping as pre-tokenizer, and the reserved specials as added tokens. The reader takes
// back what the writer writes (the ids of this build's layout: byte b is id b, merge i makes
// 256 + i) and says which part of any other file it cannot take.
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Workbench.Data.Tokenizers;

static class HuggingFaceLayout
{
    /// <summary>The tokenizer.json text, or null when two merges made the same bytes (one vocab key cannot name two ids).</summary>
    public static string? Write(BpeTokenizer tokenizer)
    {
        int firstSpecial = 256 + tokenizer.Merges.Count;
        var texts = new string[firstSpecial];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int id = 0; id < firstSpecial; id++)
        {
            texts[id] = ByteLevelAlphabet.ToText(tokenizer.TokenBytes(id));
            if (!seen.Add(texts[id])) return null;
        }

        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("version", "1.0");
            w.WriteNull("truncation");
            w.WriteNull("padding");
            w.WriteStartArray("added_tokens");
            for (int s = 0; s < SpecialTokens.Bpe.Count; s++)
            {
                w.WriteStartObject();
                w.WriteNumber("id", firstSpecial + s);
                w.WriteString("content", SpecialTokens.Bpe[s]);
                w.WriteBoolean("single_word", false);
                w.WriteBoolean("lstrip", false);
                w.WriteBoolean("rstrip", false);
                w.WriteBoolean("normalized", false);
                w.WriteBoolean("special", true);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNull("normalizer");
            w.WriteStartObject("pre_tokenizer");
            w.WriteString("type", "Sequence");
            w.WriteStartArray("pretokenizers");
            w.WriteStartObject();
            w.WriteString("type", "Split");
            w.WriteStartObject("pattern");
            w.WriteString("Regex", PreTokenizer.Gpt4Pattern);
            w.WriteEndObject();
            w.WriteString("behavior", "Isolated");
            w.WriteBoolean("invert", false);
            w.WriteEndObject();
            WriteByteLevel(w, addPrefixSpace: false, useRegex: false);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteNull("post_processor");
            w.WritePropertyName("decoder");
            WriteByteLevel(w, addPrefixSpace: true, useRegex: true);  // as GPT-2's own file has it; decoding ignores both
            w.WriteStartObject("model");
            w.WriteString("type", "BPE");
            w.WriteNull("dropout");
            w.WriteNull("unk_token");
            w.WriteNull("continuing_subword_prefix");
            w.WriteNull("end_of_word_suffix");
            w.WriteBoolean("fuse_unk", false);
            w.WriteBoolean("byte_fallback", false);
            w.WriteStartObject("vocab");
            for (int id = 0; id < firstSpecial; id++) w.WriteNumber(texts[id], id);
            w.WriteEndObject();
            // "left right": the byte alphabet has no space, so the one space always separates the pair.
            w.WriteStartArray("merges");
            foreach (var (left, right) in tokenizer.Merges) w.WriteStringValue($"{texts[left]} {texts[right]}");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    static void WriteByteLevel(Utf8JsonWriter w, bool addPrefixSpace, bool useRegex)
    {
        w.WriteStartObject();
        w.WriteString("type", "ByteLevel");
        w.WriteBoolean("add_prefix_space", addPrefixSpace);
        w.WriteBoolean("trim_offsets", true);
        w.WriteBoolean("use_regex", useRegex);
        w.WriteEndObject();
    }

    /// <summary>Whether the JSON looks like a tokenizer.json (a "model" and no "kind"), not the project's own form.</summary>
    public static bool IsLayoutOf(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("model", out _) && !root.TryGetProperty("kind", out _);

    /// <summary>The merges of a tokenizer.json in this build's layout, checked against its vocab and added tokens.</summary>
    public static (int Left, int Right)[] ReadMerges(string json)
    {
        using var doc = TokenizerJson.Parse(json);
        var root = doc.RootElement;
        var model = TokenizerJson.Field(root, "model", JsonValueKind.Object);
        string type = TokenizerJson.Str(model, "type");
        if (type != "BPE") throw TokenizerJson.Bad($"model.type is \"{type}\"; only a BPE model loads");
        if (root.TryGetProperty("normalizer", out var normalizer) && normalizer.ValueKind != JsonValueKind.Null)
            throw TokenizerJson.Bad("\"normalizer\" must be null: this build's BPE encodes text as it is");
        CheckPreTokenizer(root);

        var idOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in TokenizerJson.Field(model, "vocab", JsonValueKind.Object).EnumerateObject())
            idOf[entry.Name] = TokenizerJson.AsInt(entry.Value, $"model.vocab[\"{entry.Name}\"]");
        for (int b = 0; b < 256; b++)
        {
            string text = ByteLevelAlphabet.ToText([(byte)b]);
            if (!idOf.TryGetValue(text, out int id) || id != b)
                throw TokenizerJson.Bad($"model.vocab must give byte {b} (\"{text}\") id {b}, as this build's BPE numbers bytes");
        }

        var mergesJson = TokenizerJson.Field(model, "merges", JsonValueKind.Array);
        var merges = new (int, int)[mergesJson.GetArrayLength()];
        int i = 0;
        foreach (var pair in mergesJson.EnumerateArray())
        {
            string where = $"model.merges[{i}]";
            var (left, right) = MergePair(pair, where);
            int leftId = VocabId(idOf, left, where), rightId = VocabId(idOf, right, where), madeId = VocabId(idOf, left + right, where);
            if (madeId != 256 + i)
                throw TokenizerJson.Bad($"{where} makes \"{left + right}\", id {madeId}; in this build's layout merge {i} makes id {256 + i}");
            if (leftId >= madeId || rightId >= madeId)
                throw TokenizerJson.Bad($"{where} joins ids {leftId} and {rightId}, but only ids 0-{madeId - 1} exist before it");
            merges[i++] = (leftId, rightId);
        }
        if (idOf.Count != 256 + merges.Length)
            throw TokenizerJson.Bad($"model.vocab holds {idOf.Count} tokens; 256 bytes and {merges.Length} merges make {256 + merges.Length}");

        CheckAddedTokens(root, 256 + merges.Length);
        return merges;
    }

    static void CheckPreTokenizer(JsonElement root)
    {
        const string expected = "\"pre_tokenizer\" must be GPT-4's split then the byte-level mapping, as this build writes it " +
                                "(other pre-tokenizers cut text differently, and the ids would not match)";
        var pre = TokenizerJson.Field(root, "pre_tokenizer", JsonValueKind.Object);
        if (!pre.TryGetProperty("pretokenizers", out var steps) || steps.ValueKind != JsonValueKind.Array || steps.GetArrayLength() != 2)
            throw TokenizerJson.Bad(expected);
        var split = steps[0];
        var byteLevel = steps[1];
        bool isSplit = Text(split, "type") == "Split" && split.TryGetProperty("pattern", out var pattern)
                       && pattern.ValueKind == JsonValueKind.Object && Text(pattern, "Regex") == PreTokenizer.Gpt4Pattern
                       && Text(split, "behavior") == "Isolated" && split.TryGetProperty("invert", out var invert) && invert.ValueKind == JsonValueKind.False;
        bool isByteLevel = Text(byteLevel, "type") == "ByteLevel" && byteLevel.TryGetProperty("use_regex", out var useRegex)
                           && useRegex.ValueKind == JsonValueKind.False;
        if (!isSplit || !isByteLevel) throw TokenizerJson.Bad(expected);
    }

    static void CheckAddedTokens(JsonElement root, int firstSpecial)
    {
        var added = TokenizerJson.Field(root, "added_tokens", JsonValueKind.Array);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        int i = 0;
        foreach (var token in added.EnumerateArray())
        {
            if (token.ValueKind != JsonValueKind.Object) throw TokenizerJson.Bad($"added_tokens[{i}] must be an object");
            ids[TokenizerJson.Str(token, "content")] = TokenizerJson.Int(token, "id");
            i++;
        }
        for (int s = 0; s < SpecialTokens.Bpe.Count; s++)
        {
            if (!ids.TryGetValue(SpecialTokens.Bpe[s], out int id) || id != firstSpecial + s)
                throw TokenizerJson.Bad($"added_tokens must give {SpecialTokens.Bpe[s]} id {firstSpecial + s}, after the vocab");
        }
        if (ids.Count != SpecialTokens.Bpe.Count)
            throw TokenizerJson.Bad($"added_tokens must hold exactly {string.Join(", ", SpecialTokens.Bpe)}");
    }

    /// <summary>A merge as "left right" (the usual form) or ["left", "right"] (newer writers).</summary>
    static (string Left, string Right) MergePair(JsonElement pair, string where)
    {
        if (pair.ValueKind == JsonValueKind.String && pair.GetString()!.Split(' ') is [var left, var right])
            return (left, right);
        if (pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2
            && pair[0].ValueKind == JsonValueKind.String && pair[1].ValueKind == JsonValueKind.String)
            return (pair[0].GetString()!, pair[1].GetString()!);
        throw TokenizerJson.Bad($"{where} must be \"left right\" or [\"left\", \"right\"]");
    }

    static int VocabId(Dictionary<string, int> idOf, string token, string where) =>
        idOf.TryGetValue(token, out int id) ? id : throw TokenizerJson.Bad($"{where} names \"{token}\", which model.vocab does not hold");

    static string? Text(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
