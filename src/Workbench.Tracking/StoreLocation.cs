// Where a run store lives: a SQLite file (run folders beside it) or a PostgreSQL server named by a
// postgresql:// URL (run folders in a local runs folder, since the server holds no files).
namespace Workbench.Tracking;

/// <param name="Database">A SQLite file path, or <c>postgresql://user[:password]@host[:port]/db</c>.</param>
/// <param name="RunsDirectory">
/// With a URL, the folder for this machine's run folders; null means $WORKBENCH_RUNS, else ./runs.
/// A SQLite store keeps its run folders beside the database and takes none.
/// </param>
public sealed record StoreLocation(string Database, string? RunsDirectory = null)
{
    /// <summary>The environment variable naming the runs folder of a server store.</summary>
    public const string RunsVariable = "WORKBENCH_RUNS";

    /// <summary>A database path alone: every existing caller that names a SQLite file.</summary>
    public static implicit operator StoreLocation(string database) => new(database);

    /// <summary>True when <see cref="Database"/> names a PostgreSQL server rather than a file.</summary>
    public bool IsServer => IsServerUrl(Database);

    /// <summary>
    /// False only for a SQLite file that does not exist yet, so that a command reading from the store
    /// can say "no runs yet" without creating one. A server is asked when the store is opened.
    /// </summary>
    public bool Exists => IsServer || File.Exists(Database);

    /// <summary>The database file's absolute path, or the server URL without its password.</summary>
    /// <exception cref="RunStoreException">The URL is malformed.</exception>
    public string Display => IsServer ? Schema.PostgresUrl.Parse(Database).Display : Path.GetFullPath(Database);

    /// <summary>The absolute folder that holds the run folders of a server store.</summary>
    internal string ServerRunsDirectory => Path.GetFullPath(
        RunsDirectory ?? (Environment.GetEnvironmentVariable(RunsVariable) is { Length: > 0 } fromEnv ? fromEnv : "runs"));

    /// <summary>
    /// A command-line argument with the password of a server URL in it (alone or as --db=URL) replaced by
    /// ***; any other argument as it is. For command lines that are stored or printed.
    /// </summary>
    public static string RedactPassword(string argument)
    {
        var equals = argument.StartsWith("--", StringComparison.Ordinal) ? argument.IndexOf('=') + 1 : 0;
        return IsServerUrl(argument[equals..]) ? argument[..equals] + Schema.PostgresUrl.Redacted(argument[equals..]) : argument;
    }

    /// <summary>postgresql:// or postgres://, the two schemes libpq accepts.</summary>
    public static bool IsServerUrl(string database) =>
        database.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || database.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);
}
