// Element types; the values are libtorch's c10::ScalarType codes, which cross the ABI unchanged.
namespace Workbench.Torch;

public enum ScalarType
{
    UInt8 = 0,
    Int32 = 3,
    Int64 = 4,
    Float16 = 5,
    Float32 = 6,
    Float64 = 7,
    Bool = 11,
    BFloat16 = 15,
}

public static class ScalarTypeExtensions
{
    public static int ElementSize(this ScalarType type) => type switch
    {
        ScalarType.UInt8 or ScalarType.Bool => 1,
        ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown scalar type"),
    };

    public static bool IsFloatingPoint(this ScalarType type) =>
        type is ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64;

    /// <summary>The name PyTorch and safetensors use (float32, bfloat16, int64...).</summary>
    public static string TorchName(this ScalarType type) => type switch
    {
        ScalarType.UInt8 => "uint8",
        ScalarType.Int32 => "int32",
        ScalarType.Int64 => "int64",
        ScalarType.Float16 => "float16",
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Bool => "bool",
        ScalarType.BFloat16 => "bfloat16",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown scalar type"),
    };
}
