// The one exception type for data problems a user can hit: it says what went wrong, where, and what to do.
namespace Workbench.Data;

/// <summary>A user-facing data error (missing file, corrupt download, bad split); the message is meant to be shown as is.</summary>
public sealed class DataException : Exception
{
    public DataException(string message) : base(message) { }

    public DataException(string message, Exception inner) : base(message, inner) { }
}
