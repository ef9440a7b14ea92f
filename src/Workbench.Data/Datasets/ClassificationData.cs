// A labelled dataset as plain arrays (the runner turns them into tensors): features row-major, one label per row.
namespace Workbench.Data;

/// <summary>
/// One split. <paramref name="Features"/> is (Count, FeatureSize) row-major float32; <paramref name="Labels"/>
/// holds Count class indices in [0, ClassCount) as int64, the dtype cross-entropy takes as targets.
/// </summary>
public sealed record ClassificationSplit(float[] Features, long[] Labels, int Count, int FeatureSize, int ClassCount);

/// <summary>Train, validation and test splits; <paramref name="ContentHash"/> is the SHA-256 of the source bytes.</summary>
public sealed record ClassificationData(ClassificationSplit Train, ClassificationSplit Val, ClassificationSplit Test, string ContentHash);
