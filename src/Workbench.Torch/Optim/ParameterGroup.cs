// Parameter groups: a set of parameters with its own hyperparameters (PyTorch's param_groups), as the
// caller describes them (ParameterGroup, overrides only) and as the optimizer holds them (OptimizerGroup).
namespace Workbench.Torch.Optim;

/// <summary>Parameters that train with different settings from the optimizer's defaults; null means "the default".</summary>
public sealed record ParameterGroup(IReadOnlyList<Tensor> Parameters)
{
    public double? LearningRate { get; init; }
    public double? WeightDecay { get; init; }
    public (double Beta1, double Beta2)? Betas { get; init; }
    public double? Eps { get; init; }
    public double? Momentum { get; init; }
}

/// <summary>One group with every hyperparameter resolved. The schedule changes LearningRate between steps.</summary>
public sealed class OptimizerGroup
{
    private double _learningRate;

    internal OptimizerGroup(IReadOnlyList<Tensor> parameters, Hyperparameters values)
    {
        Parameters = parameters;
        LearningRate = values.LearningRate;
        WeightDecay = values.WeightDecay;
        Beta1 = values.Beta1;
        Beta2 = values.Beta2;
        Eps = values.Eps;
        Momentum = values.Momentum;
    }

    public IReadOnlyList<Tensor> Parameters { get; }

    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = value >= 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "the learning rate must be finite and non-negative");
    }

    public double WeightDecay { get; }
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }
    public double Momentum { get; }
}

/// <summary>An optimizer's defaults, which a ParameterGroup's overrides replace field by field.</summary>
internal readonly record struct Hyperparameters(double LearningRate, double WeightDecay, double Beta1, double Beta2, double Eps, double Momentum)
{
    public Hyperparameters With(ParameterGroup g) => new(
        g.LearningRate ?? LearningRate,
        g.WeightDecay ?? WeightDecay,
        g.Betas?.Beta1 ?? Beta1,
        g.Betas?.Beta2 ?? Beta2,
        g.Eps ?? Eps,
        g.Momentum ?? Momentum);

    /// <summary>Throws for a value PyTorch would reject, naming the group.</summary>
    public void Validate(int group)
    {
        static void Require(bool ok, string what, double value, int group, string rule)
        {
            if (!ok) throw new ArgumentOutOfRangeException(what, value, $"parameter group {group}: {what} {rule}");
        }
        Require(LearningRate >= 0 && double.IsFinite(LearningRate), "lr", LearningRate, group, "must be finite and non-negative");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), "weight_decay", WeightDecay, group, "must be finite and non-negative");
        Require(Beta1 is >= 0 and < 1, "beta1", Beta1, group, "must lie in [0, 1)");
        Require(Beta2 is >= 0 and < 1, "beta2", Beta2, group, "must lie in [0, 1)");
        Require(Eps >= 0 && double.IsFinite(Eps), "eps", Eps, group, "must be finite and non-negative");
        Require(Momentum >= 0 && double.IsFinite(Momentum), "momentum", Momentum, group, "must be finite and non-negative");
    }
}
