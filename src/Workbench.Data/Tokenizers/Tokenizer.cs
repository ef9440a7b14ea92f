// Loads a saved tokenizer of any kind, reading "kind" from the JSON, or a bpe vocabulary in
// Hugging Face's tokenizer.json layout (as BpeTokenizer.Export writes it).
using System.Text.Json;

namespace Workbench.Data.Tokenizers;

public static class Tokenizer
{
    public static ITokenizer Load(string json)
    {
        string kind;
        using (var doc = TokenizerJson.Parse(json))
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw TokenizerJson.Bad("the top level must be an object");
            // A bpe run since the Hugging Face export keeps that layout; earlier runs keep the canonical form.
            if (HuggingFaceLayout.IsLayoutOf(doc.RootElement)) return BpeTokenizer.LoadHuggingFace(json);
            kind = TokenizerJson.Str(doc.RootElement, "kind");
        }
        return kind switch
        {
            CharTokenizer.KindName => CharTokenizer.Load(json),
            BpeTokenizer.KindName => BpeTokenizer.Load(json),
            Gpt2Tokenizer.KindName => Gpt2Tokenizer.Load(json),
            _ => throw TokenizerJson.Bad($"\"kind\" is \"{kind}\"; expected \"{CharTokenizer.KindName}\", \"{BpeTokenizer.KindName}\" or \"{Gpt2Tokenizer.KindName}\""),
        };
    }
}
