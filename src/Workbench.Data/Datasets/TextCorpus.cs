// A character-level corpus cut into three contiguous pieces: train first, then validation, then test.
namespace Workbench.Data;

/// <summary>Contiguous train, validation and test text; <paramref name="ContentHash"/> is the SHA-256 of the source bytes.</summary>
public sealed record TextCorpus(string Train, string Val, string Test, string ContentHash);
