// Typed errors of the run store: each message says what was wrong and where, for the CLI to print as is.
namespace Workbench.Tracking;

/// <summary>The run store could not do what was asked (bad database, unknown run, ...).</summary>
public class RunStoreException : Exception
{
    public RunStoreException(string message) : base(message) { }

    public RunStoreException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A run reference matched no run.</summary>
public sealed class RunNotFoundException(string reference, string message) : RunStoreException(message)
{
    public string Reference { get; } = reference;
}

/// <summary>An id prefix matched several runs; <see cref="Candidates"/> lists their ids.</summary>
public sealed class AmbiguousRunReferenceException(string reference, IReadOnlyList<string> candidates)
    : RunStoreException($"run reference '{reference}' is ambiguous: it matches {string.Join(", ", candidates)}; give more characters of the id")
{
    public string Reference { get; } = reference;

    public IReadOnlyList<string> Candidates { get; } = candidates;
}

/// <summary>The database was written by a newer workbench whose schema this one does not know.</summary>
public sealed class SchemaTooNewException(string dbPath, int databaseVersion, int supportedVersion)
    : RunStoreException($"{dbPath}: the database has schema version {databaseVersion}, but this workbench knows versions up to {supportedVersion}; use a newer workbench, or give another --db")
{
    public int DatabaseVersion { get; } = databaseVersion;

    public int SupportedVersion { get; } = supportedVersion;
}
