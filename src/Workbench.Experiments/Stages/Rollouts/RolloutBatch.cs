// Rollouts for the RL stages (grpo, ppo): G completions of each prompt drawn by the batched KV-cache
// generator, laid out as whole rows (prompt then completion, right-padded) so that any model can score
// them in one causal forward pass, as training does. Per-token values come back aligned with the
// completions, (N, Tc): row r's column j is its completion's token j, whatever its prompt's length. The
// completion mask covers each completion up to and including its stop token (end of turn); a completion
// that never drew one was clipped at the length limit. The log-probabilities the policy gave its own
// tokens as it drew them are kept: the "old" policy of a clipped objective. Every model scores the rows at the
// temperature they were drawn at (logits / T, as TRL's trainers do), so the policy the objective moves is the
// one that sampled, and the reference's KL is measured against that same distribution.
using Workbench.Data.Chat;
using Workbench.Experiments.Generation;
using Workbench.Models;
using Workbench.Models.PostTraining;
using Workbench.Torch;

namespace Workbench.Experiments.Stages.Rollouts;

public sealed class RolloutBatch : IDisposable
{
    private readonly Tensor _inputs;        // (N, W) rows but their last token, right-padded
    private readonly Tensor _targets;       // (N, W) the token after each position (0 where none counts)
    private readonly Tensor _mask;          // (N, W) bool: the target is a completion token
    private readonly Tensor _columns;       // (N, Tc) int64: the position whose target is completion token j

    // The batch's tensors belong to the tensor scope open when it is generated, if any, as any tensor would;
    // disposing the batch frees them sooner.

    private RolloutBatch(IReadOnlyList<int[]> prompts, IReadOnlyList<Completion> completions, int generations, double temperature, int padId,
        Device device)
    {
        (Prompts, Completions, Generations) = (prompts, completions, generations);
        Temperature = temperature > 0 ? temperature : 1.0;
        var rows = prompts.Select((p, r) => new ChatExample([.. p, .. completions[r].Tokens],
            [.. Enumerable.Repeat(false, p.Length), .. Enumerable.Repeat(true, completions[r].Tokens.Count)])).ToList();
        (_inputs, _targets, _mask) = ChatTensors.Shifted(TokenBatch.Padded(rows, padId), device);
        // A completion of Tc tokens or fewer: columns past its end repeat its last position and are masked off.
        Width = Math.Max(1, completions.Max(c => c.Tokens.Count));
        var columns = new long[Rows * Width];
        var mask = new bool[Rows * Width];
        for (var r = 0; r < Rows; r++)
            for (var j = 0; j < Width; j++)
            {
                var length = completions[r].Tokens.Count;
                columns[r * Width + j] = prompts[r].Length - 1 + Math.Min(j, Math.Max(length - 1, 0));
                mask[r * Width + j] = j < length;
            }
        _columns = Tensor.FromSpan<long>(columns, ScalarType.Int64, [Rows, Width], device);
        CompletionMask = Tensor.FromSpan<bool>(mask, ScalarType.Bool, [Rows, Width], device);
        Stopped = completions.Select(c => c.Stopped).ToArray();
    }

    /// <summary>
    /// Draws <paramref name="generations"/> completions of each prompt (ids up to and with the generation prompt)
    /// from <paramref name="policy"/>, rows grouped by prompt (rows g·G .. g·G + G - 1 answer prompt g), and scores
    /// them under it without gradients (<see cref="OldLogProbs"/>). Draws come from the global generator unless the
    /// settings give a seed; <paramref name="padId"/> fills the rows past their end.
    /// </summary>
    public static RolloutBatch Generate(Gpt policy, IReadOnlyList<int[]> prompts, int generations, GenerationSettings settings, int padId, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(generations);
        if (prompts.Count == 0) throw new ArgumentException("a rollout needs at least one prompt", nameof(prompts));
        var rows = prompts.SelectMany(p => Enumerable.Repeat(p, generations)).ToList();
        if (rows.Max(p => p.Length) + settings.MaxNewTokens - 1 > policy.Config.BlockSize)
            throw new ArgumentException($"a prompt of {rows.Max(p => p.Length)} tokens and {settings.MaxNewTokens} completion tokens " +
                                        $"do not fit model.block_size {policy.Config.BlockSize} + 1: the rows could not be scored in one pass");
        var completions = Generator.Generate(policy, rows.Select(p => (IReadOnlyList<int>)p).ToList(), settings, device);
        var batch = new RolloutBatch(rows, completions, generations, settings.Temperature, padId, device);
        batch.OldLogProbs = batch.FrozenLogProbs(policy);
        return batch;
    }

    /// <summary>Each row's prompt: each of the batch's prompts <see cref="Generations"/> times in a row.</summary>
    public IReadOnlyList<int[]> Prompts { get; }

    /// <summary>Each row's completion, its stop token included when it drew one.</summary>
    public IReadOnlyList<Completion> Completions { get; }

    /// <summary>Completions per prompt (G): a group is G consecutive rows.</summary>
    public int Generations { get; }

    /// <summary>N: prompts times <see cref="Generations"/>.</summary>
    public int Rows => Prompts.Count;

    /// <summary>Tc: the longest completion, at least 1.</summary>
    public int Width { get; }

    /// <summary>(N, Tc) bool: the completion's tokens, its stop token included.</summary>
    public Tensor CompletionMask { get; }

    /// <summary>Whether each row's completion drew a stop token (end of turn); false: clipped at the length limit.</summary>
    public IReadOnlyList<bool> Stopped { get; }

    /// <summary>(N, Tc) float32, no gradient: the policy's log-probability of each completion token as it drew it (0 off the mask).</summary>
    public Tensor OldLogProbs { get; private set; } = null!;

    /// <summary>The temperature the completions were drawn at (1 for greedy ones): every score divides the logits by it.</summary>
    public double Temperature { get; }

    /// <summary>Tokens drawn in all, stop tokens included.</summary>
    public long GeneratedTokens => Completions.Sum(c => (long)c.Tokens.Count);

    /// <summary>
    /// (n, Tc) log-probability <paramref name="model"/> gives each completion token after its prompt and the tokens
    /// before it, 0 off the mask, for the rows <paramref name="first"/> .. first + count - 1 (all by default: a
    /// micro-batch takes a slice); with gradients unless the caller holds a NoGrad. The model's mode is the caller's.
    /// </summary>
    public Tensor LogProbs(Gpt model, int first = 0, int? count = null) => Score(model, first, count ?? Rows - first, entropy: false).LogProbs;

    /// <summary>
    /// As <see cref="LogProbs"/>, for a model that is not being trained here (a frozen reference, the policy as it
    /// drew): in eval mode, without gradients, the model's mode put back after.
    /// </summary>
    public Tensor FrozenLogProbs(Gpt model)
    {
        var wasTraining = model.Training;
        model.Eval();
        try
        {
            using var scope = TensorScope.Begin();
            using var noGrad = new NoGrad();
            return scope.Keep(LogProbs(model));
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    /// <summary>As <see cref="LogProbs"/>, and (n, Tc) the entropy of the model's next-token distribution at each completion token.</summary>
    public (Tensor LogProbs, Tensor Entropy) LogProbsAndEntropy(Gpt model, int first = 0, int? count = null)
    {
        var (logProbs, entropy) = Score(model, first, count ?? Rows - first, entropy: true);
        return (logProbs, entropy!);
    }

    /// <summary>(N, W) the rows' inputs (prompt and completion but the last token, right-padded), for a model with another head (a value head).</summary>
    public Tensor Inputs => _inputs;

    /// <summary>(N, W) a value per input position -> (N, Tc) the value at the position that predicts each completion token, 0 off the mask.</summary>
    public Tensor AtCompletion(Tensor perPosition)
    {
        if (!perPosition.Shape.SequenceEqual(_inputs.Shape))
            throw new ArgumentException($"values per position need the inputs' shape [{string.Join(", ", _inputs.Shape)}]; got [{string.Join(", ", perPosition.Shape)}]");
        return AtCompletion(perPosition, 0, Rows);
    }

    // (n, W) values of rows first .. first + n - 1 -> (n, Tc)
    private Tensor AtCompletion(Tensor perPosition, int first, int count) =>
        perPosition.Gather(1, _columns.Narrow(0, first, count)).MaskedFill(CompletionMask.Narrow(0, first, count).LogicalNot(), 0);

    private (Tensor LogProbs, Tensor? Entropy) Score(Gpt model, int first, int count, bool entropy)
    {
        if (first < 0 || count < 1 || first + count > Rows)
            throw new ArgumentOutOfRangeException(nameof(count), $"rows {first} .. {first + count - 1} are not all among the batch's {Rows}");
        var logits = model.Forward(_inputs.Narrow(0, first, count));                                       // (n, W, V)
        if (Temperature != 1.0) logits /= Temperature;
        var perToken = TokenLogProbs.PerToken(logits, _targets.Narrow(0, first, count), _mask.Narrow(0, first, count));
        var logProbs = AtCompletion(perToken, first, count);                                              // (n, Tc)
        if (!entropy) return (logProbs, null);
        // Logged only, so computed off the graph: one implementation of the entropy, TokenLogProbs'.
        return (logProbs, AtCompletion(TokenLogProbs.Entropy(logits.Detach().To(ScalarType.Float32)), first, count));
    }

    public void Dispose()
    {
        foreach (var t in new[] { _inputs, _targets, _mask, _columns, CompletionMask, OldLogProbs }) t?.Dispose();
    }
}
