// The one error a saved tokenizer that cannot be read turns into: it says which field is wrong.
namespace Workbench.Data.Tokenizers;

public sealed class TokenizerFormatException(string message, Exception? inner = null)
    : FormatException(message, inner);
