// The modules and optimizers a run trains, by name: what checkpoints hold and the lr schedule drives.
using Workbench.Torch.Nn;
using Workbench.Torch.Optim;

namespace Workbench.Experiments.Training;

/// <summary>
/// The named modules and optimizers a run trains and checkpoints. A checkpoint has one file for each
/// today (model.safetensors, optimizer.safetensors), so the names are those; a stage with more (DPO's
/// frozen reference) gives the checkpoint a file per name first. The loop already treats them as sets.
/// </summary>
public sealed class TrainedModules
{
    public const string ModelName = "model";
    public const string OptimizerName = "optimizer";

    public TrainedModules(IReadOnlyDictionary<string, Module> modules, IReadOnlyDictionary<string, Optimizer> optimizers)
    {
        if (modules.Count != 1 || !modules.ContainsKey(ModelName) || optimizers.Count != 1 || !optimizers.ContainsKey(OptimizerName))
            throw new ArgumentException($"a checkpoint holds one module '{ModelName}' and one optimizer '{OptimizerName}'; " +
                                        $"got modules [{string.Join(", ", modules.Keys)}] and optimizers [{string.Join(", ", optimizers.Keys)}]");
        (Modules, Optimizers) = (modules, optimizers);
    }

    public static TrainedModules Of(Module model, Optimizer optimizer) =>
        new(new Dictionary<string, Module> { [ModelName] = model }, new Dictionary<string, Optimizer> { [OptimizerName] = optimizer });

    public IReadOnlyDictionary<string, Module> Modules { get; }
    public IReadOnlyDictionary<string, Optimizer> Optimizers { get; }
    public Module Model => Modules[ModelName];
    public Optimizer Optimizer => Optimizers[OptimizerName];
}
