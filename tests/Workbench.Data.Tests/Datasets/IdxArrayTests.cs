// The IDX reader: a valid file's shape, and clear errors for truncated or corrupt ones.
namespace Workbench.Data.Tests;

public sealed class IdxArrayTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("idx-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    // A 2 x 2 x 3 unsigned-byte array: magic 00 00 08 03, dims big-endian, then 12 bytes.
    static byte[] Valid() => [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, .. Enumerable.Range(0, 12).Select(i => (byte)i)];

    string Write(byte[] bytes)
    {
        var path = Path.Combine(folder, "images-idx3-ubyte");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void A_valid_file_gives_its_shape_and_row_major_bytes()
    {
        var idx = IdxArray.Read(Write(Valid()));

        Assert.Equal([2, 2, 3], idx.Shape);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (byte)i), idx.Data.ToArray());
    }

    [Fact]
    public void A_truncated_file_names_the_file_and_the_missing_bytes()
    {
        var path = Write(Valid()[..^5]);

        var error = Assert.Throws<DataException>(() => IdxArray.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.Contains("2 x 2 x 3 = 12 bytes", error.Message);
        Assert.Contains("but 7 follow", error.Message);
    }

    [Fact]
    public void A_file_cut_inside_its_header_is_reported_as_truncated()
    {
        var error = Assert.Throws<DataException>(() => IdxArray.Read(Write(Valid()[..9])));

        Assert.Contains("truncated IDX header", error.Message);
    }

    [Fact]
    public void A_file_with_a_wrong_magic_number_is_not_taken_for_IDX()
    {
        var bytes = Valid();
        bytes[0] = 0x1f; // what a gzipped file starts with

        var error = Assert.Throws<DataException>(() => IdxArray.Read(Write(bytes)));

        Assert.Contains("not an IDX file", error.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(folder, "absent");

        var error = Assert.Throws<DataException>(() => IdxArray.Read(path));

        Assert.Contains(path, error.Message);
    }
}
