// Opens connections to one database file with the settings several writing processes need, and
// retries work that lost the race for SQLite's single write lock.
using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Workbench.Tracking.Schema;

internal sealed class SqliteDatabase(string path)
{
    // SQLite waits this long for the write lock itself; BusyRetry adds a second, outer deadline
    // for the rare cases where the busy handler is not called (e.g. a lock held across a checkpoint).
    private const int BusyTimeoutMs = 10_000;
    private static readonly TimeSpan RetryDeadline = TimeSpan.FromSeconds(60);

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 60,
    }.ToString();

    public string Path { get; } = path;

    /// <summary>An open connection with busy timeout, foreign keys and WAL-appropriate syncing.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            // synchronous=NORMAL is crash-safe in WAL mode (a power cut may lose the last commits only).
            Execute(connection, $"PRAGMA busy_timeout={BusyTimeoutMs}; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Closes idle pooled connections so the file is released.</summary>
    public void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs <paramref name="work"/> again while SQLite reports the database busy or locked.</summary>
    public static T BusyRetry<T>(Func<T> work)
    {
        var clock = Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return work();
            }
            catch (Exception e) when (IsBusy(e) && clock.Elapsed < RetryDeadline)
            {
                Thread.Sleep(Random.Shared.Next(5, 20 + 10 * Math.Min(attempt, 10)));
            }
        }
    }

    public static void BusyRetry(Action work) => BusyRetry(() =>
    {
        work();
        return 0;
    });

    // EF Core wraps the SqliteException (DbUpdateException), so look through inner exceptions.
    private static bool IsBusy(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: 5 or 6 })
            {
                return true;
            }
        }
        return false;
    }
}
