// The XOR, OR and AND truth tables: four rows that are train, validation and test at once.
using System.Security.Cryptography;

namespace Workbench.Data;

public static partial class Datasets
{
    /// <summary>
    /// The truth table of <paramref name="op"/> (xor, or, and): features (4, 2) float32 rows 00, 01, 10, 11 and
    /// labels 0/1 as int64 (2 classes). A model is trained and evaluated on the same four rows, so Train, Val
    /// and Test are the same split. ContentHash: SHA-256 of the feature bytes then the label bytes.
    /// </summary>
    public static ClassificationData Truth(string op)
    {
        Func<bool, bool, bool> gate = op switch
        {
            "xor" => (a, b) => a ^ b,
            "or" => (a, b) => a | b,
            "and" => (a, b) => a & b,
            _ => throw new DataException($"Unknown truth table '{op}': expected xor, or or and."),
        };
        var features = new float[8];
        var labels = new long[4];
        for (var row = 0; row < 4; row++)
        {
            bool a = (row & 2) != 0, b = (row & 1) != 0;
            features[2 * row] = a ? 1f : 0f;
            features[2 * row + 1] = b ? 1f : 0f;
            labels[row] = gate(a, b) ? 1 : 0;
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Sha256.Append(hash, features);
        Sha256.Append(hash, labels);
        var table = new ClassificationSplit(features, labels, 4, 2, 2);
        return new ClassificationData(table, table, table, Sha256.Finish(hash));
    }
}
