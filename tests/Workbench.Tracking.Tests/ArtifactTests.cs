// Artifacts: a run's files recorded with SHA-256 and size.
using System.Security.Cryptography;
using System.Text;

namespace Workbench.Tracking.Tests;

public class ArtifactTests : IDisposable
{
    private readonly TestDatabase _db;

    public ArtifactTests() : this(new TestDatabase()) { }

    protected ArtifactTests(TestDatabase db) => _db = db;

    public void Dispose() => _db.Dispose();

    [SkippableFact]
    public void An_artifact_is_recorded_with_its_hash_size_and_kind()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());
        var path = Path.Combine(run.RunDir, "config.yaml");
        File.WriteAllText(path, "name: mnist-mlp\n");

        var artifact = store.AddArtifact(run.Id, path, "config");

        Assert.Equal(path, artifact.Path);
        Assert.Equal("config", artifact.Kind);
        Assert.Equal(16, artifact.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("name: mnist-mlp\n"))), artifact.Sha256);
        Assert.Equal([artifact], store.GetArtifacts(run.Id));
    }

    [SkippableFact]
    public void Recording_a_path_again_updates_it_and_removing_forgets_it()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());
        var path = Path.Combine(run.RunDir, "checkpoints", "best.safetensors");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1, 2, 3]);
        store.AddArtifact(run.Id, path, "checkpoint");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);

        store.AddArtifact(run.Id, path, "checkpoint");

        Assert.Equal([5L], store.GetArtifacts(run.Id).Select(a => a.Bytes));
        Assert.True(store.RemoveArtifact(run.Id, path));
        Assert.Empty(store.GetArtifacts(run.Id));
    }

    [SkippableFact]
    public void A_missing_file_is_a_clear_error()
    {
        using var store = _db.Open();
        var run = store.CreateRun(TestDatabase.Run());

        var e = Assert.Throws<RunStoreException>(() => store.AddArtifact(run.Id, Path.Combine(run.RunDir, "nope.bin"), "checkpoint"));

        Assert.Contains("nope.bin", e.Message);
    }
}

/// <summary>The same tests on PostgreSQL (skipped where the test server cannot start).</summary>
public sealed class ArtifactTestsOnPostgres() : ArtifactTests(TestDatabase.Postgres());
