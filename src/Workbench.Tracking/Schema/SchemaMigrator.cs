// Brings a database to the newest schema this build knows, one ordered step at a time, and
// refuses a database from a newer build. Safe when several processes open a new database at once.
using System.Data.Common;

namespace Workbench.Tracking.Schema;

internal static class SchemaMigrator
{
    /// <summary>Returns the version the database is at afterwards (the last step's).</summary>
    public static int Migrate(StoreDatabase database, IReadOnlyList<SchemaStep> steps)
    {
        var target = steps.Count == 0 ? 0 : steps[^1].Version;
        using var connection = database.Open();
        database.Retry(() => database.PrepareStorage(connection));

        // The common case: already current, no lock taken.
        if (ReadVersion(database, connection, null) == target)
        {
            return target;
        }

        return database.Retry(() =>
        {
            // The first process to take the migration lock migrates; the others wait and then see it done.
            using var transaction = database.BeginMigration(connection);
            var version = ReadVersion(database, connection, transaction);
            if (version == target)
            {
                return target;
            }
            if (version > target)
            {
                throw new SchemaTooNewException(database.Name, version, target);
            }
            StoreDatabase.Execute(connection, """
                CREATE TABLE IF NOT EXISTS schema_version (
                    version     INTEGER NOT NULL PRIMARY KEY,
                    description TEXT NOT NULL,
                    applied_at  TEXT NOT NULL
                );
                """, transaction);
            foreach (var step in steps.Where(s => s.Version > version))
            {
                StoreDatabase.Execute(connection, step.SqlFor(database.Provider), transaction);
                using var record = connection.CreateCommand();
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_version (version, description, applied_at) VALUES (@v, @d, @t);";
                StoreDatabase.Bind(record, "@v", step.Version);
                StoreDatabase.Bind(record, "@d", step.Description);
                StoreDatabase.Bind(record, "@t", DateTime.UtcNow.ToString("O"));
                record.ExecuteNonQuery();
            }
            transaction.Commit();
            return target;
        });
    }

    /// <summary>0 when the database has no schema_version table yet.</summary>
    public static int ReadVersion(StoreDatabase database, DbConnection connection, DbTransaction? transaction)
    {
        if (!database.TableExists(connection, transaction, "schema_version"))
        {
            return 0;
        }
        var version = StoreDatabase.Scalar(connection, "SELECT max(version) FROM schema_version;", transaction);
        return version is DBNull or null ? 0 : Convert.ToInt32(version);
    }
}
