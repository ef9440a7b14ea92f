// A supervised dataset as tensors on the training device: features and targets per split, and the
// task (multi-class, binary or regression) that decides the loss and the metrics.
using Workbench.Data;
using Workbench.Torch;

namespace Workbench.Experiments.Data;

public enum SupervisedTask
{
    MultiClass,   // cross-entropy over class logits; accuracy
    Binary,       // one logit, binary cross-entropy; accuracy
    Regression,   // mean squared error
}

/// <summary>One split: features (N, F) float32 and targets (N) int64 class ids, or (N, 1) float32.</summary>
public sealed record SupervisedSplit(Tensor Features, Tensor Targets, int Count) : IDisposable
{
    public void Dispose()
    {
        Features.Dispose();
        Targets.Dispose();
    }
}

public sealed class SupervisedData : IDisposable
{
    private SupervisedData(SupervisedTask task, int inputs, int outputs, SupervisedSplit train, SupervisedSplit? val,
        SupervisedSplit? test, string contentHash, RegressionData? regression, ImageShape? image = null)
    {
        Image = image;
        Task = task;
        Inputs = inputs;
        Outputs = outputs;
        Train = train;
        Val = val;
        Test = test;
        ContentHash = contentHash;
        Regression = regression;
    }

    public SupervisedTask Task { get; }
    public int Inputs { get; }
    public int Outputs { get; }

    /// <summary>The shape of each row as an image (MNIST: 1 x 28 x 28), or null when the rows are not images.</summary>
    public ImageShape? Image { get; }
    public SupervisedSplit Train { get; }
    public SupervisedSplit? Val { get; }
    public SupervisedSplit? Test { get; }
    public string ContentHash { get; }

    /// <summary>For linreg: the true weights and bias the data was drawn from.</summary>
    public RegressionData? Regression { get; }

    /// <param name="binary">One logit and binary cross-entropy (the truth tables) rather than one logit per class.</param>
    public static SupervisedData FromClassification(ClassificationData data, bool binary, Device device)
    {
        var task = binary ? SupervisedTask.Binary : SupervisedTask.MultiClass;
        return new SupervisedData(task, data.Train.FeatureSize, binary ? 1 : data.Train.ClassCount,
            Classification(data.Train, task, device), OrNull(data.Val, task, device), OrNull(data.Test, task, device),
            data.ContentHash, null, data.Image);
    }

    public static SupervisedData FromRegression(RegressionData data, Device device)
    {
        static SupervisedSplit? Split(RegressionSplit s, Device d) => s.Count == 0 ? null : new SupervisedSplit(
            Tensor.FromSpan<float>(s.X, ScalarType.Float32, [s.Count, s.Features], d),
            Tensor.FromSpan<float>(s.Y, ScalarType.Float32, [s.Count, 1], d), s.Count);
        return new SupervisedData(SupervisedTask.Regression, data.Train.Features, 1, Split(data.Train, device)!,
            Split(data.Val, device), Split(data.Test, device), data.ContentHash, data);
    }

    private static SupervisedSplit? OrNull(ClassificationSplit split, SupervisedTask task, Device device) =>
        split.Count == 0 ? null : Classification(split, task, device);

    private static SupervisedSplit Classification(ClassificationSplit split, SupervisedTask task, Device device)
    {
        var features = Tensor.FromSpan<float>(split.Features, ScalarType.Float32, [split.Count, split.FeatureSize], device);
        var targets = task == SupervisedTask.Binary
            ? Tensor.FromSpan<float>(split.Labels.Select(l => (float)l).ToArray(), ScalarType.Float32, [split.Count, 1], device)
            : Tensor.FromSpan<long>(split.Labels, ScalarType.Int64, [split.Count], device);
        return new SupervisedSplit(features, targets, split.Count);
    }

    public void Dispose()
    {
        Train.Dispose();
        Val?.Dispose();
        Test?.Dispose();
    }
}
