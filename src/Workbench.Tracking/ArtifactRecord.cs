// A file a run produced (checkpoint, report, config), with the hash that lets a rerun verify it.
namespace Workbench.Tracking;

/// <summary>An artifact of a run. <see cref="Path"/> is absolute; Sha256 is lowercase hex.</summary>
public sealed record ArtifactRecord(string RunId, string Path, string Kind, string Sha256, long Bytes, DateTime CreatedAt);
