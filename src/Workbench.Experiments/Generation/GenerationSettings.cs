// What a generation draws and when it stops: the knobs of eval samples, `workbench sample` and rollouts.
namespace Workbench.Experiments.Generation;

/// <summary>
/// Up to <paramref name="MaxNewTokens"/> tokens per sequence. <paramref name="Temperature"/> 0 is greedy decoding
/// (argmax, no draw); above 0 the logits are divided by it, then <paramref name="TopK"/> keeps the k likeliest and
/// <paramref name="TopP"/> the smallest set of likeliest whose probability reaches p (nucleus sampling).
/// A sequence ends after it draws one of <paramref name="StopTokens"/> (end-of-text, a chat template's end of turn),
/// which is kept as its last token. <paramref name="NeverDrawn"/> lists ids with no meaning as a prediction (a char
/// vocabulary's unknown, end-of-text in running text). Draws come from the global generator, or, given
/// <paramref name="Seed"/>, from a generator seeded with it, leaving the global one as it was.
/// </summary>
public sealed record GenerationSettings(int MaxNewTokens, double Temperature = 1.0, int? TopK = null, double? TopP = null,
    IReadOnlyList<int>? StopTokens = null, IReadOnlyList<int>? NeverDrawn = null, long? Seed = null)
{
    /// <summary>Throws on settings that cannot generate, naming the setting.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 0) throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, "max new tokens must be >= 0");
        if (!(Temperature >= 0) || double.IsInfinity(Temperature))
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "temperature must be >= 0 (0 is greedy) and finite");
        if (TopK is < 1) throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "top_k must be >= 1");
        if (TopP is { } p && !(p > 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "top_p must be in (0, 1]");
    }
}

/// <summary>The tokens generated after one prompt; <paramref name="Stopped"/> when the last is a stop token.</summary>
public sealed record Completion(IReadOnlyList<int> Tokens, bool Stopped);
