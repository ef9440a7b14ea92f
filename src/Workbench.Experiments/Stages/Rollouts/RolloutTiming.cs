// Rollout and update timed apart: an RL step is mostly generation (one token at a time through the KV
// cache) and partly training on what was generated, and the two scale differently (completion length,
// num_iterations). Rollout throughput is generated tokens per second of generating and scoring them;
// the update is the mean time of a step's optimizer updates. The first step (allocator and cache
// warm-up) is left out of both.
using Workbench.Experiments.Runs;

namespace Workbench.Experiments.Stages.Rollouts;

public sealed class RolloutTiming
{
    private readonly StepTiming _updates = new(skipFirst: 1);
    private long _rollouts;
    private long _tokens;
    private double _rolloutSeconds;

    /// <summary>One step's rollout: <paramref name="tokens"/> generated in <paramref name="elapsed"/>, scoring included.</summary>
    public void AddRollout(long tokens, TimeSpan elapsed)
    {
        if (++_rollouts == 1) return;
        _tokens += tokens;
        _rolloutSeconds += elapsed.TotalSeconds;
    }

    /// <summary>One step's update(s) on its rollout.</summary>
    public void AddUpdate(TimeSpan elapsed) => _updates.Add(elapsed);

    /// <summary>Null until a step past the first has been timed.</summary>
    public double? RolloutTokensPerSecond => _rolloutSeconds > 0 ? _tokens / _rolloutSeconds : null;

    public double? UpdateMs => _updates.MeanMs;

    /// <summary>The figures so far under their metric names (rollout_tokens_per_s, update_ms), those measured yet.</summary>
    public IReadOnlyList<(string Name, double Value)> Metrics =>
        [.. RolloutTokensPerSecond is { } rate ? [("rollout_tokens_per_s", rate)] : Array.Empty<(string, double)>(),
         .. UpdateMs is { } ms ? [("update_ms", ms)] : Array.Empty<(string, double)>()];

    /// <summary>Puts the figures in the run's summary, beside step_ms.</summary>
    public void Summarise(RunSummary summary)
    {
        foreach (var (name, value) in Metrics) summary.Set(name, value);
    }
}
