// Loads a saved tokenizer of any kind, reading "kind" from the JSON.
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
