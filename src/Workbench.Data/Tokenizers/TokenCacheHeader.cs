// The JSON header beside a cached token file: what it was encoded from, and how to read it.
using System.Text.Json.Serialization;

namespace Workbench.Data.Tokenizers;

/// <summary>Count is the number of ids; Dtype is "uint16" or "int32", little-endian.</summary>
sealed record TokenCacheHeader(
    int Version, string DatasetHash, string TokenizerHash, string TokenizerKind, string Split, string Dtype, int Count);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(TokenCacheHeader))]
sealed partial class TokenCacheHeaderJson : JsonSerializerContext;
