// A labelled dataset as plain arrays (the runner turns them into tensors): features row-major, one label per row.
namespace Workbench.Data;

/// <summary>
/// One split. <paramref name="Features"/> is (Count, FeatureSize) row-major float32; <paramref name="Labels"/>
/// holds Count class indices in [0, ClassCount) as int64, the dtype cross-entropy takes as targets.
/// </summary>
public sealed record ClassificationSplit(float[] Features, long[] Labels, int Count, int FeatureSize, int ClassCount);

/// <summary>
/// Train, validation and test splits; <paramref name="ContentHash"/> is the SHA-256 of the source bytes.
/// <paramref name="Image"/> is the shape each row's features have as an image, or null when they are not one.
/// </summary>
public sealed record ClassificationData(ClassificationSplit Train, ClassificationSplit Val, ClassificationSplit Test, string ContentHash,
    ImageShape? Image = null);

/// <summary>An image's channels, height and width; a row's features are its pixels in that (C, H, W) order.</summary>
public sealed record ImageShape(int Channels, int Height, int Width)
{
    public int Pixels => Channels * Height * Width;
}
