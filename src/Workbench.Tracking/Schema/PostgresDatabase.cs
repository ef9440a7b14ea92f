// A run store on a PostgreSQL server, shared by processes on many machines. The server holds the
// rows; each machine keeps the folders of the runs it ran in its own runs folder.
using System.Data.Common;
using Npgsql;

namespace Workbench.Tracking.Schema;

internal sealed class PostgresDatabase(PostgresUrl url, string runsDirectory) : StoreDatabase
{
    // Any constant works: it names the lock that migrating processes take in pg_advisory_xact_lock.
    private const long MigrationLockKey = 0x776f726b62656e63; // "workbenc"

    private readonly string _connectionString = url.ConnectionString;

    public override StoreProvider Provider => StoreProvider.Postgres;

    public override string Name => url.Display;

    public override string RunsDirectory => runsDirectory;

    /// <summary>"host:port" of the server, for messages about reaching it.</summary>
    public string Server => url.Server;

    public override NpgsqlConnection Open()
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            connection.Open();
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
        using var connection = new NpgsqlConnection(_connectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    /// <summary>A transaction holding an advisory lock that every migrating process asks for first.</summary>
    public override DbTransaction BeginMigration(DbConnection connection)
    {
        var transaction = connection.BeginTransaction();
        Execute(connection, $"SELECT pg_advisory_xact_lock({MigrationLockKey});", transaction);
        return transaction;
    }

    public override bool TableExists(DbConnection connection, DbTransaction? transaction, string table) =>
        Scalar(connection, $"SELECT to_regclass('{table}') IS NOT NULL;", transaction) is true;

    public override bool IsDuplicateKey(Exception e) =>
        Find<PostgresException>(e) is { SqlState: PostgresErrorCodes.UniqueViolation };

    public override MetricPointTable OpenPointTable(string runId) => new PostgresPointTable(this, runId);

    /// <summary>A deadlock or serialization failure: PostgreSQL fails one of the transactions involved.</summary>
    protected override bool IsConflict(Exception e) => Find<PostgresException>(e) is
        { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };
}
