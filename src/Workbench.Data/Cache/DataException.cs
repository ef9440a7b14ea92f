// The one exception type for data problems a user can hit: it says what went wrong, where, and what to do.
namespace Workbench.Data;

/// <summary>A user-facing data error (missing file, corrupt download, bad split); the message is meant to be shown as is.</summary>
public sealed class DataException : Exception
{
    public DataException(string message) : base(message) { }

    public DataException(string message, Exception inner) : base(message, inner) { }

    /// <summary>
    /// True when the registry or the data cache failed (offline, a lock never released, bytes that differ
    /// from the pin) rather than the input: the CLI exits 1 for these and 2 for bad input.
    /// </summary>
    public bool IsFetchFailure { get; private init; }

    /// <summary>A fetch or cache failure: nothing about the spec or the user's files is wrong.</summary>
    public static DataException Fetch(string message, Exception? inner = null) =>
        inner is null ? new(message) { IsFetchFailure = true } : new(message, inner) { IsFetchFailure = true };
}
