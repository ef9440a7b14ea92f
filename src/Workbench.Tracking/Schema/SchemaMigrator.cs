// Brings a database to the newest schema this build knows, one ordered step at a time, and
// refuses a database from a newer build. Safe when several processes open a new database at once.
using Microsoft.Data.Sqlite;

namespace Workbench.Tracking.Schema;

internal static class SchemaMigrator
{
    /// <summary>Returns the version the database is at afterwards (the last step's).</summary>
    public static int Migrate(SqliteDatabase database, IReadOnlyList<SchemaStep> steps)
    {
        var target = steps.Count == 0 ? 0 : steps[^1].Version;
        using var connection = database.Open();

        // WAL lets readers run beside the one writer; it is stored in the file, so this is set once.
        var mode = SqliteDatabase.BusyRetry(() => Scalar(connection, "PRAGMA journal_mode=WAL;", null));
        if (!string.Equals(mode as string, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new RunStoreException(
                $"{database.Path}: SQLite could not switch the database to WAL mode (it stays '{mode}'); "
                + "put the database on a local disk, not a network share");
        }

        // The common case: already current, no write lock taken.
        var current = ReadVersion(connection, null);
        if (current == target)
        {
            return current;
        }

        return SqliteDatabase.BusyRetry(() =>
        {
            // BEGIN IMMEDIATE: the first process to get here migrates; the others wait and then see it done.
            using var transaction = connection.BeginTransaction(deferred: false);
            SqliteDatabase.Execute(connection, """
                CREATE TABLE IF NOT EXISTS schema_version (
                    version     INTEGER NOT NULL PRIMARY KEY,
                    description TEXT NOT NULL,
                    applied_at  TEXT NOT NULL
                );
                """, transaction);
            var version = ReadVersion(connection, transaction);
            if (version > target)
            {
                throw new SchemaTooNewException(database.Path, version, target);
            }
            foreach (var step in steps.Where(s => s.Version > version))
            {
                SqliteDatabase.Execute(connection, step.Sql, transaction);
                using var record = connection.CreateCommand();
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_version (version, description, applied_at) VALUES ($v, $d, $t);";
                record.Parameters.AddWithValue("$v", step.Version);
                record.Parameters.AddWithValue("$d", step.Description);
                record.Parameters.AddWithValue("$t", DateTime.UtcNow.ToString("O"));
                record.ExecuteNonQuery();
            }
            transaction.Commit();
            return target;
        });
    }

    /// <summary>0 when the database has no schema_version table yet.</summary>
    public static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        var exists = Scalar(connection,
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';", transaction);
        if (Convert.ToInt64(exists) == 0)
        {
            return 0;
        }
        var version = Scalar(connection, "SELECT max(version) FROM schema_version;", transaction);
        return version is DBNull or null ? 0 : Convert.ToInt32(version);
    }

    private static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteScalar();
    }
}
