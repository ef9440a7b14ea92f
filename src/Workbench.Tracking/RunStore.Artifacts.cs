// Files a run produced, recorded with SHA-256 and size so reruns and reports can check them.
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Workbench.Tracking.Schema;

namespace Workbench.Tracking;

public sealed partial class RunStore
{
    /// <summary>
    /// Records (or, for a path already recorded, updates) a file of the run with its hash and size.
    /// Paths inside the run's folder are stored relative to it, so a copied runs/ folder still works.
    /// </summary>
    /// <exception cref="RunStoreException">The file does not exist.</exception>
    public ArtifactRecord AddArtifact(string runId, string path, string kind)
    {
        var run = Get(runId);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new RunStoreException($"artifact {fullPath} of run {runId} does not exist");
        }
        string sha256;
        long bytes;
        using (var stream = File.OpenRead(fullPath))
        {
            sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
            bytes = stream.Length;
        }

        var stored = StoredArtifactPath(run.RunDir, fullPath);
        var row = Use(db =>
        {
            var existing = db.Artifacts.FirstOrDefault(a => a.RunId == runId && a.Path == stored);
            var artifact = existing ?? db.Artifacts.Add(new ArtifactRow { RunId = runId, Path = stored }).Entity;
            artifact.Kind = kind;
            artifact.Sha256 = sha256;
            artifact.Bytes = bytes;
            artifact.CreatedAt = Now();
            db.SaveChanges();
            return artifact;
        });
        return ToRecord(row, run.RunDir);
    }

    /// <summary>The run's artifacts in the order they were recorded.</summary>
    public IReadOnlyList<ArtifactRecord> GetArtifacts(string runId)
    {
        var run = Get(runId);
        var rows = Use(db => db.Artifacts.AsNoTracking()
            .Where(a => a.RunId == runId)
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)
            .ToList());
        return rows.Select(r => ToRecord(r, run.RunDir)).ToList();
    }

    /// <summary>Forgets an artifact (a checkpoint rotated out, say). Returns false when none was recorded.</summary>
    public bool RemoveArtifact(string runId, string path)
    {
        var run = Get(runId);
        var stored = StoredArtifactPath(run.RunDir, Path.GetFullPath(path));
        return Use(db => db.Artifacts.Where(a => a.RunId == runId && a.Path == stored).ExecuteDelete()) > 0;
    }

    private static string StoredArtifactPath(string runDir, string fullPath)
    {
        var relative = Path.GetRelativePath(runDir, fullPath);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? fullPath : relative;
    }

    private static ArtifactRecord ToRecord(ArtifactRow row, string runDir) => new(
        row.RunId, Path.GetFullPath(Path.Combine(runDir, row.Path)), row.Kind, row.Sha256, row.Bytes, row.CreatedAt);
}
