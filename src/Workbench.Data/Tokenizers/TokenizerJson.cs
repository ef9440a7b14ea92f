// Reading and writing the saved tokenizer form: one compact canonical JSON text per tokenizer, so
// that its SHA-256 is a stable name, and errors that say which field of the file is wrong.
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Workbench.Data.Tokenizers;

static class TokenizerJson
{
    public const int Version = 1;

    /// <summary>Writes keys in a fixed order, no whitespace; '&lt;' and '|' stay readable.</summary>
    public static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string Sha256(string saved) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(saved)));

    public static JsonDocument Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try { return JsonDocument.Parse(json); }
        catch (JsonException e) { throw new TokenizerFormatException($"tokenizer JSON is not valid JSON: {e.Message}", e); }
    }

    /// <summary>Checks "version" and "kind" and returns the root object.</summary>
    public static JsonElement Root(JsonDocument doc, string kind)
    {
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw Bad("the top level must be an object");
        int version = Int(root, "version");
        if (version != Version) throw Bad($"\"version\" is {version}; this build reads version {Version}");
        string actual = Str(root, "kind");
        if (actual != kind) throw Bad($"\"kind\" is \"{actual}\", expected \"{kind}\"");
        return root;
    }

    public static JsonElement Field(JsonElement obj, string name, JsonValueKind kind)
    {
        if (!obj.TryGetProperty(name, out var value)) throw Bad($"\"{name}\" is missing");
        if (value.ValueKind != kind) throw Bad($"\"{name}\" must be {kind.ToString().ToLowerInvariant()}, not {value.ValueKind.ToString().ToLowerInvariant()}");
        return value;
    }

    public static int Int(JsonElement obj, string name) => AsInt(Field(obj, name, JsonValueKind.Number), $"\"{name}\"");

    public static string Str(JsonElement obj, string name) => Field(obj, name, JsonValueKind.String).GetString()!;

    public static int AsInt(JsonElement value, string where) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int v) ? v : throw Bad($"{where} must be an integer");

    /// <summary>"specials": each of <see cref="SpecialTokens.Bpe"/> with its id, counting up from <paramref name="first"/>.</summary>
    public static void WriteSpecials(Utf8JsonWriter w, int first)
    {
        w.WriteStartObject("specials");
        for (int s = 0; s < SpecialTokens.Bpe.Count; s++) w.WriteNumber(SpecialTokens.Bpe[s], first + s);
        w.WriteEndObject();
    }

    /// <summary>Checks that "specials" holds exactly the ids <see cref="WriteSpecials"/> writes; <paramref name="why"/> says why those.</summary>
    public static void CheckSpecials(JsonElement root, int first, string why)
    {
        var specials = Field(root, "specials", JsonValueKind.Object);
        int count = 0;
        foreach (var _ in specials.EnumerateObject()) count++;
        for (int s = 0; s < SpecialTokens.Bpe.Count; s++)
        {
            int id = Int(specials, SpecialTokens.Bpe[s]);
            if (id != first + s) throw Bad($"special {SpecialTokens.Bpe[s]} has id {id}; {why} it must be {first + s}");
        }
        if (count != SpecialTokens.Bpe.Count) throw Bad($"\"specials\" must hold exactly {string.Join(", ", SpecialTokens.Bpe)}");
    }

    public static TokenizerFormatException Bad(string what) => new($"tokenizer JSON: {what}");
}
