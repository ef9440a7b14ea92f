// A GPT trunk with a scalar head, Linear(n_embd, 1) on the hidden state after the final LayerNorm. Read at each
// sequence's last real token it is RLHF's reward model (Score); read at every position it is PPO's value model
// (Scores: the value of each prefix). The trunk starts from a language model's weights (an SFT run's), the head
// from N(0, 0.02) and a zero bias, so that every reward starts near 0; a value model may instead start as a whole
// reward model, as TRL's PPO does. Its state dict is the trunk's under "trunk." plus "head.".
using Workbench.Torch;
using Workbench.Torch.Nn;

namespace Workbench.Models;

public sealed class ScalarHeadGpt : Module
{
    private readonly Linear _head;

    public ScalarHeadGpt(GptConfig config)
    {
        Trunk = RegisterModule("trunk", new Gpt(config));
        _head = RegisterModule("head", new Linear(config.Embedding, 1));
        Init.Normal_(_head.Weight, 0, 0.02);
        Init.Zeros_(_head.Bias!);
    }

    /// <summary>The GPT whose hidden states the head reads; its own output head (tied to wte) goes unused here.</summary>
    public Gpt Trunk { get; }

    /// <summary>Loads a GPT's state dict (a pretrain or SFT run's weights) into the trunk; every tensor must fit.</summary>
    public void LoadTrunk(IReadOnlyDictionary<string, Tensor> gptWeights)
    {
        try
        {
            Trunk.LoadStateDict(gptWeights);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"the GPT weights do not fit the reward model's trunk: {e.Message}", nameof(gptWeights), e);
        }
    }

    /// <summary>
    /// Loads either a scalar-head model's own state dict (a reward run's: trunk.* and head.*), whole, or a GPT's (a
    /// pretrain or SFT run's) into the trunk, the head keeping its fresh start: how PPO's value model starts.
    /// </summary>
    public void Initialize(IReadOnlyDictionary<string, Tensor> weights)
    {
        if (weights.Keys.Any(k => k.StartsWith("head.", StringComparison.Ordinal))) LoadStateDict(weights);
        else LoadTrunk(weights);
    }

    /// <summary>(B, T) token ids -> (B, T) the head's value at every position (a causal trunk: each sees only its prefix).</summary>
    public Tensor Scores(Tensor idx) => _head.Forward(Trunk.Hidden(idx)).Squeeze(2);

    /// <summary>
    /// (B, T) right-padded token ids and (B) int64 lengths (real tokens per row, 1..T) -> (B) the value at each row's
    /// last real token. The trunk is causal, so the padding after it changes nothing and needs no attention mask.
    /// </summary>
    public Tensor Score(Tensor idx, Tensor lengths)
    {
        if (lengths.Dim != 1 || lengths.Size(0) != idx.Size(0))
            throw new ArgumentException($"lengths must be (B) with one length per row of the ({idx.Size(0)}, {idx.Size(1)}) batch; " +
                                        $"got [{string.Join(", ", lengths.Shape)}]");
        var last = (lengths - 1).Unsqueeze(1);                                           // (B, 1)
        return Scores(idx).Gather(1, last).Squeeze(1);
    }
}
