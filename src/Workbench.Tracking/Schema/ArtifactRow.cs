// The artifacts table as EF Core maps it.
namespace Workbench.Tracking.Schema;

internal sealed class ArtifactRow
{
    public long Id { get; set; }
    public string RunId { get; set; } = "";

    /// <summary>Relative to the run's folder when inside it, else absolute.</summary>
    public string Path { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public long Bytes { get; set; }
    public DateTime CreatedAt { get; set; }
}
