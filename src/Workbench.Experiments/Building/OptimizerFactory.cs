// Builds the optimizer and learning-rate schedule a spec names. AdamW decays only weights of two or
// more dimensions (matrices and embeddings), never biases or norm gains, as nanoGPT does.
using Workbench.Experiments.Specs;
using Workbench.Torch.Nn;
using Workbench.Torch.Optim;

namespace Workbench.Experiments.Building;

public static class OptimizerFactory
{
    private const double Eps = 1e-8;

    public static Optimizer Create(OptimizerSpec spec, Module model)
    {
        var parameters = model.Parameters().ToList();
        var (beta1, beta2) = (spec.Betas[0], spec.Betas[1]);
        return spec.Name switch
        {
            "sgd" => new Sgd(parameters, spec.Lr, spec.Momentum, spec.WeightDecay),
            "adam" => new Adam(parameters, spec.Lr, beta1, beta2, Eps, spec.WeightDecay),
            "adamw" => new AdamW(
                [
                    new ParameterGroup(parameters.Where(p => p.Dim >= 2).ToList()) { WeightDecay = spec.WeightDecay },
                    new ParameterGroup(parameters.Where(p => p.Dim < 2).ToList()) { WeightDecay = 0 },
                ], spec.Lr, beta1, beta2, Eps, spec.WeightDecay),
            _ => throw new ArgumentException($"train.optimizer.name '{spec.Name}' is not sgd, adam or adamw"),
        };
    }

    /// <summary>The schedule over the run's <paramref name="totalSteps"/> (the cosine and linear horizon).</summary>
    public static LearningRateSchedule Schedule(ScheduleSpec spec, double learningRate, long totalSteps) =>
        new(LearningRateSchedule.ParseKind(spec.Name), learningRate, totalSteps, spec.WarmupSteps, spec.MinLr, spec.StepSize, spec.Gamma);
}
