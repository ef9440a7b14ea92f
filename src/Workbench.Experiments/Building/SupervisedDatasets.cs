// Loads a supervised spec's dataset (mnist, xor/or/and, linreg) and puts it on the training device.
using Workbench.Data;
using Workbench.Experiments.Data;
using Workbench.Experiments.Specs;
using Workbench.Torch;

namespace Workbench.Experiments.Building;

public static class SupervisedDatasets
{
    public static SupervisedData Load(DataSpec data, DataCache cache, long seed, Device device) => data.Dataset switch
    {
        "mnist" => SupervisedData.FromClassification(Datasets.Mnist(cache, data.Split.Val, (int)seed), binary: false, device),
        "xor" or "or" or "and" => SupervisedData.FromClassification(Datasets.Truth(data.Dataset), binary: true, device),
        "linreg" => SupervisedData.FromRegression(Datasets.LinReg((int)seed, data.Split.Val, data.Split.Test ?? 0), device),
        _ => throw new ArgumentException($"dataset '{data.Dataset}' is not a supervised dataset"),
    };
}
