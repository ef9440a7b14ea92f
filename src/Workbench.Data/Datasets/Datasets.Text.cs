// Any local UTF-8 text file as a character corpus, split like nanoGPT's shakespeare_char.
using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Workbench.Data;

public static partial class Datasets
{
    /// <summary>
    /// The UTF-8 file at <paramref name="path"/> (a leading byte-order mark is dropped), split contiguously:
    /// train first, then val, then test, by fractions of its characters. ContentHash: SHA-256 of the file's bytes,
    /// the same as <c>sha256sum</c> prints.
    /// </summary>
    public static TextCorpus Text(string path, double val, double test)
    {
        if (Directory.Exists(path)) throw new DataException($"Text dataset {path} is a folder; data.path must name a UTF-8 text file.");
        if (!File.Exists(path)) throw new DataException($"Text dataset file {path} does not exist (data.path).");
        var bytes = File.ReadAllBytes(path);
        var body = bytes.AsSpan(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0);
        var chars = new char[body.Length];
        var status = Utf8.ToUtf16(body, chars, out var read, out var written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
            throw new DataException(
                $"Text dataset {path} is not valid UTF-8: byte offset {bytes.Length - body.Length + read} starts an invalid sequence. " +
                "Convert it first, for example: iconv -f latin1 -t utf-8 in.txt > out.txt");
        if (written == 0) throw new DataException($"Text dataset {path} is empty.");
        return SplitSizes.TailSplit(new string(chars, 0, written), val, test, $"text {path}", Sha256.OfBytes(bytes));
    }
}
