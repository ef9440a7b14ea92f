// What every tokenizer offers the runner, the data pipeline and the sampler: text <-> ids, a saved
// form, and a content hash that names it in run records and token caches.
namespace Workbench.Data.Tokenizers;

public interface ITokenizer
{
    /// <summary>"char", "bpe" or "gpt2": the spec's data.tokenizer.kind and the saved form's "kind".</summary>
    string Kind { get; }

    /// <summary>Number of ids, specials included: every id is in [0, VocabSize).</summary>
    int VocabSize { get; }

    /// <summary>Lowercase hex SHA-256 of <see cref="Save"/>'s UTF-8 bytes: it names token caches and run records.</summary>
    string Hash { get; }

    /// <summary>
    /// Encodes text. Special-token strings (such as "&lt;|endoftext|&gt;") become their reserved id only
    /// when <paramref name="allowSpecial"/> is true; otherwise they are encoded as ordinary text.
    /// </summary>
    int[] Encode(string text, bool allowSpecial = false);

    /// <summary>Decodes ids; bytes that do not form valid UTF-8 become U+FFFD.</summary>
    string Decode(ReadOnlySpan<int> ids);

    /// <summary>The UTF-8 bytes one id stands for (a BPE token can hold part of a character).</summary>
    ReadOnlySpan<byte> TokenBytes(int id);

    /// <summary>The canonical JSON form, which <see cref="Hash"/> digests; <see cref="Tokenizer.Load"/> reads it back.</summary>
    string Save();

    /// <summary>
    /// What a run writes to its tokenizer.json, for other tools as much as for this one: Hugging Face's
    /// tokenizer.json layout where the kind has one (bpe), else the canonical form. <see cref="Tokenizer.Load"/> reads it back.
    /// </summary>
    string Export();

    /// <summary>The id of a reserved special token, or null when this tokenizer has none by that name.</summary>
    int? SpecialId(string token);
}
