// safetensors round trips and the errors a corrupt or lying file produces.
namespace Workbench.Torch.Tests;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wb-st-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Saved_tensors_load_back_with_dtype_shape_values_and_metadata()
    {
        var path = Path.Combine(_dir, "a.safetensors");
        using var scope = TensorScope.Begin();
        var tensors = new Dictionary<string, Tensor>
        {
            ["w"] = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], 2, 3),
            ["ids"] = Tensor.From([7L, 8L]),
            ["half"] = Tensor.From([0.5f, -2f]).To(ScalarType.BFloat16),
        };

        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["step"] = "42" });
        var (loaded, meta) = SafeTensors.LoadWithMetadata(path);
        foreach (var t in loaded.Values) scope.Keep(t);

        Assert.Equal("42", meta["step"]);
        Assert.Equal([2L, 3L], loaded["w"].Shape);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], loaded["w"].ToArray<float>());
        Assert.Equal([7L, 8L], loaded["ids"].ToArray<long>());
        Assert.Equal(ScalarType.BFloat16, loaded["half"].DType);
        Assert.Equal([0.5f, -2f], loaded["half"].ToFloatArray());
        foreach (var t in loaded.Values) t.Dispose();
    }

    [Fact]
    public void A_header_that_lies_about_sizes_is_rejected_with_the_tensor_name()
    {
        var path = Path.Combine(_dir, "lie.safetensors");
        var header = """{"w":{"dtype":"F32","shape":[1000],"data_offsets":[0,4000]}}"""u8.ToArray();
        using (var f = File.Create(path))
        {
            f.Write(BitConverter.GetBytes((ulong)header.Length));
            f.Write(header);
            f.Write(new byte[16]);
        }

        var e = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(path));

        Assert.Contains("'w'", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_truncated_or_garbage_file_is_rejected_without_crashing()
    {
        var path = Path.Combine(_dir, "garbage.safetensors");
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3]);

        var e = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(path));

        Assert.Contains("header claims", e.Message);
    }
}
