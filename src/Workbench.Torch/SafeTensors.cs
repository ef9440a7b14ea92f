// Reads and writes the safetensors format (Hugging Face): an 8-byte little-endian header length,
// a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {...}}, then the raw data.
// Writes are atomic (temp file, flush, rename); reads validate every offset before touching data.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Workbench.Torch;

/// <summary>A safetensors file is malformed; the message names the file and what is wrong.</summary>
public sealed class SafeTensorsException(string path, string problem)
    : IOException($"{path}: not a valid safetensors file: {problem}")
{
    public string Path { get; } = path;
}

public static class SafeTensors
{
    private const long MaxHeaderBytes = 100 << 20;

    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new Dictionary<string, object>();
        if (metadata is { Count: > 0 }) header["__metadata__"] = metadata;
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, tensor) in tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var bytes = tensor.ToBytes();
            header[name] = new Dictionary<string, object>
            {
                ["dtype"] = DTypeCode(tensor.DType),
                ["shape"] = tensor.Shape,
                ["data_offsets"] = new[] { offset, offset + bytes.Length },
            };
            blobs.Add(bytes);
            offset += bytes.Length;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        // Pad the header with spaces to 8 bytes so the data is aligned, as the reference writer does.
        var padded = (json.Length + 7) / 8 * 8;

        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(json);
            for (var i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var blob in blobs) stream.Write(blob);
        });
    }

    public static Dictionary<string, Tensor> Load(string path, Device? device = null) => LoadWithMetadata(path, device).Tensors;

    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) LoadWithMetadata(string path, Device? device = null)
    {
        byte[] file;
        try { file = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new SafeTensorsException(path, "file not found"); }
        if (file.Length < 8) throw new SafeTensorsException(path, $"{file.Length} bytes is too short for the header length");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderBytes || (long)headerLength > file.Length - 8)
            throw new SafeTensorsException(path, $"header claims {headerLength} bytes but the file has {file.Length - 8} after the length");
        var dataStart = 8 + (long)headerLength;
        var dataLength = file.Length - dataStart;

        JsonDocument doc;
        try { doc = JsonDocument.Parse(file.AsMemory(8, (int)headerLength)); }
        catch (JsonException e) { throw new SafeTensorsException(path, $"header is not JSON ({e.Message})"); }

        var tensors = new Dictionary<string, Tensor>();
        var metadata = new Dictionary<string, string>();
        try
        {
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new SafeTensorsException(path, "header is not a JSON object");
                foreach (var entry in doc.RootElement.EnumerateObject())
                {
                    if (entry.Name == "__metadata__")
                    {
                        foreach (var m in entry.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString() ?? "";
                        continue;
                    }
                    var (dtype, shape, begin, end) = ParseEntry(path, entry);
                    if (begin < 0 || end < begin || end > dataLength)
                        throw new SafeTensorsException(path, $"'{entry.Name}' spans bytes [{begin}, {end}) but the data section has {dataLength}");
                    var expected = Tensor.Numel(shape) * dtype.ElementSize();
                    if (end - begin != expected)
                        throw new SafeTensorsException(path, $"'{entry.Name}' has {end - begin} bytes, its dtype and shape need {expected}");
                    tensors[entry.Name] = Tensor.FromBytes(file.AsSpan((int)(dataStart + begin), (int)(end - begin)), dtype, shape, device);
                }
            }
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return (tensors, metadata);
    }

    private static (ScalarType, long[], long, long) ParseEntry(string path, JsonProperty entry)
    {
        try
        {
            var dtype = FromDTypeCode(entry.Value.GetProperty("dtype").GetString() ?? "")
                ?? throw new SafeTensorsException(path, $"'{entry.Name}' has unsupported dtype {entry.Value.GetProperty("dtype")}");
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (shape.Any(d => d < 0)) throw new SafeTensorsException(path, $"'{entry.Name}' has a negative dimension");
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2) throw new SafeTensorsException(path, $"'{entry.Name}' needs two data_offsets");
            return (dtype, shape, offsets[0], offsets[1]);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new SafeTensorsException(path, $"'{entry.Name}' is not a tensor entry ({e.Message})");
        }
    }

    private static string DTypeCode(ScalarType t) => t switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.UInt8 => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, "no safetensors code"),
    };

    private static ScalarType? FromDTypeCode(string code) => code switch
    {
        "F64" => ScalarType.Float64,
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "U8" => ScalarType.UInt8,
        "BOOL" => ScalarType.Bool,
        _ => null,
    };
}

/// <summary>Writes a file so that readers see either the old content or the whole new one, never a part.</summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = $"{full}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s => s.Write(Encoding.UTF8.GetBytes(text)));
}
