// What the run store needs from a database engine: connections, EF Core contexts, retries, and the
// few places where SQLite and PostgreSQL differ (the migration lock, duplicate keys, metric inserts).
// Everything else in the store is written once, against EF Core or provider-neutral SQL.
using System.Data.Common;
using System.Diagnostics;

namespace Workbench.Tracking.Schema;

internal enum StoreProvider
{
    Sqlite,
    Postgres,
}

internal abstract class StoreDatabase
{
    /// <summary>Opens the store named by <paramref name="location"/>; nothing is connected yet.</summary>
    public static StoreDatabase For(StoreLocation location) => location.IsServer
        ? new PostgresDatabase(PostgresUrl.Parse(location.Database), location.ServerRunsDirectory)
        : new SqliteDatabase(Path.GetFullPath(location.Database));

    public abstract StoreProvider Provider { get; }

    /// <summary>The database file's absolute path, or the server URL without its password.</summary>
    public abstract string Name { get; }

    /// <summary>The folder holding one folder per run.</summary>
    public abstract string RunsDirectory { get; }

    /// <summary>An open connection with the settings the store relies on.</summary>
    public abstract DbConnection Open();

    public TrackingDbContext Context(DbConnection connection) => new(connection, Provider);

    // Retry gives up after this long; the databases' own lock waits come first (see IsConflict).
    private static readonly TimeSpan RetryDeadline = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="work"/> again, after a short random wait, while it fails with a conflict.</summary>
    public T Retry<T>(Func<T> work)
    {
        var clock = Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return work();
            }
            catch (Exception e) when (IsConflict(e) && clock.Elapsed < RetryDeadline)
            {
                Thread.Sleep(Random.Shared.Next(5, 20 + 10 * Math.Min(attempt, 10)));
            }
        }
    }

    public void Retry(Action work) => Retry(() =>
    {
        work();
        return 0;
    });

    /// <summary>Settings kept in the database itself, set (or checked) on every open before the schema is read.</summary>
    public virtual void PrepareStorage(DbConnection connection)
    {
    }

    /// <summary>
    /// A transaction that no other migrating process can share, so that of several processes opening
    /// a new database at once exactly one creates the schema and the others then find it done.
    /// </summary>
    public abstract DbTransaction BeginMigration(DbConnection connection);

    public abstract bool TableExists(DbConnection connection, DbTransaction? transaction, string table);

    /// <summary>True when <paramref name="e"/> lost a race with another writer and the same work may simply be tried again.</summary>
    protected abstract bool IsConflict(Exception e);

    /// <summary>True when <paramref name="e"/> (or an exception inside it) is a primary-key or unique violation.</summary>
    public abstract bool IsDuplicateKey(Exception e);

    /// <summary>The fast path for one run's metric points; it holds its own connection until disposed.</summary>
    public abstract MetricPointTable OpenPointTable(string runId);

    /// <summary>Closes this process's idle pooled connections.</summary>
    public abstract void ClearPool();

    public static void Execute(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    public static object? Scalar(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteScalar();
    }

    /// <summary>Binds @name to <paramref name="value"/>; both providers accept @-named parameters.</summary>
    public static DbParameter Bind(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    // EF Core wraps the provider's exception (DbUpdateException), so look through inner exceptions.
    protected static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found) return found;
        }
        return null;
    }
}
