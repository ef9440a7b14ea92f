// Local text files: split like nanoGPT, hashed like sha256sum, and clear errors for missing or non-UTF-8 files.
using System.Security.Cryptography;
using System.Text;

namespace Workbench.Data.Tests;

public sealed class TextTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("text-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    string Write(byte[] bytes)
    {
        var path = Path.Combine(folder, "input.txt");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void A_text_file_is_split_into_head_train_then_val_then_test()
    {
        var text = string.Concat(Enumerable.Range(0, 100).Select(i => (char)('a' + i % 26)));
        var bytes = Encoding.UTF8.GetBytes(text);

        var corpus = Datasets.Text(Write(bytes), 0.1, 0.2);

        Assert.Equal(text[..70], corpus.Train);
        Assert.Equal(text[70..80], corpus.Val);
        Assert.Equal(text[80..], corpus.Test);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), corpus.ContentHash);
    }

    [Fact]
    public void Non_ascii_text_and_a_byte_order_mark_are_read_as_utf8()
    {
        var corpus = Datasets.Text(Write([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes("héllo wörld")]), 0, 0);

        Assert.Equal("héllo wörld", corpus.Train);
    }

    [Fact]
    public void A_missing_file_is_named_in_the_error()
    {
        var path = Path.Combine(folder, "nope.txt");

        var error = Assert.Throws<DataException>(() => Datasets.Text(path, 0.1, 0.1));

        Assert.Contains(path, error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_utf8_says_where_the_bad_byte_is()
    {
        var path = Write([.. "caf"u8, 0xE9, .. " au lait"u8]); // latin-1 é

        var error = Assert.Throws<DataException>(() => Datasets.Text(path, 0.1, 0.1));

        Assert.Contains(path, error.Message);
        Assert.Contains("not valid UTF-8", error.Message);
        Assert.Contains("byte offset 3", error.Message);
    }

    [Fact]
    public void Fractions_that_leave_nothing_to_train_on_are_rejected()
    {
        var error = Assert.Throws<DataException>(() => Datasets.Text(Write("abc"u8.ToArray()), 0.5, 0.5));

        Assert.Contains("val + test < 1", error.Message);
    }
}
