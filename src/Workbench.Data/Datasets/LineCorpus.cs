// A corpus of independent short lines (names), split line by line into train, validation and test.
namespace Workbench.Data;

/// <summary>Train, validation and test lines; <paramref name="ContentHash"/> is the SHA-256 of the source bytes.</summary>
public sealed record LineCorpus(IReadOnlyList<string> Train, IReadOnlyList<string> Val, IReadOnlyList<string> Test, string ContentHash);
