// Opens connections to one database file with the settings several writing processes need, and
// says which errors mean work lost the race for SQLite's single write lock.
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Workbench.Tracking.Schema;

internal sealed class SqliteDatabase(string path) : StoreDatabase
{
    // SQLite waits this long for the write lock itself before reporting SQLITE_BUSY.
    private const int BusyTimeoutMs = 10_000;

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 60,
    }.ToString();

    public override StoreProvider Provider => StoreProvider.Sqlite;

    public override string Name => path;

    /// <summary>Run folders sit beside the database file, so a copied folder keeps both.</summary>
    public override string RunsDirectory => System.IO.Path.GetDirectoryName(path)!;

    /// <summary>An open connection with busy timeout, foreign keys and WAL-appropriate syncing.</summary>
    public override SqliteConnection Open()
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

    public override void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>WAL lets readers run beside the one writer; it is stored in the file, so this is set once.</summary>
    public override void PrepareStorage(DbConnection connection)
    {
        var mode = Scalar(connection, "PRAGMA journal_mode=WAL;");
        if (!string.Equals(mode as string, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new RunStoreException(
                $"{path}: SQLite could not switch the database to WAL mode (it stays '{mode}'); "
                + "put the database on a local disk, not a network share");
        }
    }

    /// <summary>BEGIN IMMEDIATE: the write lock first.</summary>
    public override DbTransaction BeginMigration(DbConnection connection) =>
        ((SqliteConnection)connection).BeginTransaction(deferred: false);

    public override bool TableExists(DbConnection connection, DbTransaction? transaction, string table) =>
        Convert.ToInt64(Scalar(connection,
            $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}';", transaction)) > 0;

    public override bool IsDuplicateKey(Exception e) =>
        Find<SqliteException>(e) is { SqliteExtendedErrorCode: 1555 or 2067 }; // SQLITE_CONSTRAINT_PRIMARYKEY, _UNIQUE

    public override MetricPointTable OpenPointTable(string runId) => new SqlitePointTable(this, runId);

    /// <summary>
    /// SQLITE_BUSY or SQLITE_LOCKED: SQLite already waited busy_timeout for the write lock; the outer
    /// retry covers the rare cases where its busy handler is not called (a lock held across a checkpoint).
    /// </summary>
    protected override bool IsConflict(Exception e) => Find<SqliteException>(e) is { SqliteErrorCode: 5 or 6 };
}
