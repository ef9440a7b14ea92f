// The learning rate as a pure function of the optimizer step (nanoGPT's get_lr, generalised): a linear
// warmup over the first warmup steps, then constant, step-wise, linear or cosine decay towards min_lr
// at the run's total steps. The training loop calls At(step) and hands the value to the optimizer.
namespace Workbench.Torch.Optim;

/// <summary>The decay after warmup; the names are the spec's (train.schedule.name).</summary>
public enum ScheduleKind { Constant, Step, Linear, Cosine }

public sealed record LearningRateSchedule
{
    /// <param name="kind">What happens after warmup.</param>
    /// <param name="learningRate">The peak rate, reached at the end of warmup.</param>
    /// <param name="totalSteps">The horizon of linear and cosine decay (the run's total steps).</param>
    /// <param name="warmupSteps">Steps 0..warmup-1 rise linearly as lr * (step + 1) / (warmup + 1).</param>
    /// <param name="minLearningRate">The floor that linear and cosine reach at totalSteps, and step decay never goes under.</param>
    /// <param name="stepSize">Step decay: the rate is multiplied by <paramref name="gamma"/> every stepSize steps after warmup.</param>
    /// <param name="gamma">Step decay's factor.</param>
    public LearningRateSchedule(ScheduleKind kind, double learningRate, long totalSteps = 0, long warmupSteps = 0,
                                double minLearningRate = 0, long? stepSize = null, double gamma = 0.1)
    {
        if (!(learningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "lr must be non-negative");
        if (warmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "warmup_steps must be non-negative");
        if (!(minLearningRate >= 0) || minLearningRate > learningRate)
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, $"min_lr must lie in [0, lr = {learningRate}]");
        if (kind is ScheduleKind.Linear or ScheduleKind.Cosine && totalSteps <= warmupSteps)
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps,
                $"a {kind.ToString().ToLowerInvariant()} schedule needs more total steps than warmup_steps ({warmupSteps})");
        if (kind == ScheduleKind.Step && stepSize is not > 0)
            throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "a step schedule needs a positive step_size");
        if (kind == ScheduleKind.Step && !(gamma > 0))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "a step schedule needs a positive gamma");
        Kind = kind;
        LearningRate = learningRate;
        TotalSteps = totalSteps;
        WarmupSteps = warmupSteps;
        MinLearningRate = minLearningRate;
        StepSize = stepSize;
        Gamma = gamma;
    }

    public ScheduleKind Kind { get; }
    public double LearningRate { get; }
    public long TotalSteps { get; }
    public long WarmupSteps { get; }
    public double MinLearningRate { get; }
    public long? StepSize { get; }
    public double Gamma { get; }

    /// <summary>Parses a spec name (constant, step, linear, cosine), naming the valid ones when it is not.</summary>
    public static ScheduleKind ParseKind(string name) => name.Trim().ToLowerInvariant() switch
    {
        "constant" => ScheduleKind.Constant,
        "step" => ScheduleKind.Step,
        "linear" => ScheduleKind.Linear,
        "cosine" => ScheduleKind.Cosine,
        _ => throw new ArgumentException($"'{name}' is not a learning-rate schedule: use constant, step, linear or cosine"),
    };

    /// <summary>The learning rate for optimizer step <paramref name="step"/> (0-based).</summary>
    public double At(long step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "steps count from 0");
        if (step < WarmupSteps) return LearningRate * (step + 1) / (WarmupSteps + 1);
        var sinceWarmup = step - WarmupSteps;
        switch (Kind)
        {
            case ScheduleKind.Constant:
                return LearningRate;
            case ScheduleKind.Step:
                return Math.Max(MinLearningRate, LearningRate * Math.Pow(Gamma, sinceWarmup / StepSize!.Value));
        }
        if (step > TotalSteps) return MinLearningRate;
        var progress = (double)sinceWarmup / (TotalSteps - WarmupSteps);  // 0 at the end of warmup, 1 at TotalSteps
        var coefficient = Kind == ScheduleKind.Cosine ? 0.5 * (1.0 + Math.Cos(Math.PI * progress)) : 1.0 - progress;
        return MinLearningRate + coefficient * (LearningRate - MinLearningRate);
    }
}
