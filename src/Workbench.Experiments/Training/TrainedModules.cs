// The modules and optimizers a run trains, by name: what checkpoints hold and the lr schedule drives.
using Workbench.Torch.Nn;
using Workbench.Torch.Optim;

namespace Workbench.Experiments.Training;

/// <summary>
/// The named modules and optimizers a run trains and checkpoints: a file for each in every checkpoint.
/// `model` is the module init_from weights load into and later runs read (sample, a next stage); a stage
/// with more (PPO's value head) names the others. Names are distinct across both sets and make file names.
/// </summary>
public sealed class TrainedModules
{
    public const string ModelName = "model";
    public const string OptimizerName = "optimizer";

    public TrainedModules(IReadOnlyDictionary<string, Module> modules, IReadOnlyDictionary<string, Optimizer> optimizers)
    {
        if (!modules.ContainsKey(ModelName))
            throw new ArgumentException($"the trained modules need one named '{ModelName}'; got [{string.Join(", ", modules.Keys)}]");
        var names = modules.Keys.Concat(optimizers.Keys).ToList();
        if (names.Distinct().Count() != names.Count)
            throw new ArgumentException($"module and optimizer names must differ (they name checkpoint files): [{string.Join(", ", names)}]");
        if (names.FirstOrDefault(n => n.Length == 0 || !n.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-')) is { } bad)
            throw new ArgumentException($"'{bad}' cannot name a checkpoint file: use lowercase letters, digits, '_' and '-'");
        (Modules, Optimizers) = (modules, optimizers);
    }

    public static TrainedModules Of(Module model, Optimizer optimizer) =>
        new(new Dictionary<string, Module> { [ModelName] = model }, new Dictionary<string, Optimizer> { [OptimizerName] = optimizer });

    public IReadOnlyDictionary<string, Module> Modules { get; }
    public IReadOnlyDictionary<string, Optimizer> Optimizers { get; }

    /// <summary>The module named `model`.</summary>
    public Module Model => Modules[ModelName];
}
