// How a query asks PostgreSQL for row locks: EF Core cannot say FOR UPDATE, so a query is tagged
// (ClaimTag: rows another process holds are skipped, RunStore.ClaimNext; LockTag: they are waited
// for, ForUpdate) and this interceptor appends the clause. SQLite needs neither: the store's
// transactions there are BEGIN IMMEDIATE, which already holds the database's one write lock.
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Workbench.Tracking.Schema;

internal static class RowClaims
{
    /// <summary>The tag (an SQL comment at the top of the query) that marks a claiming SELECT.</summary>
    public const string ClaimTag = "workbench: claim";

    /// <summary>The tag of a SELECT whose rows the transaction changes next, which others must not change meanwhile.</summary>
    public const string LockTag = "workbench: lock";

    /// <summary>
    /// Reads the rows locked until the transaction ends (PostgreSQL: FOR UPDATE, after waiting for any
    /// other transaction holding them, so the rows read are the latest committed ones).
    /// </summary>
    public static IQueryable<T> ForUpdate<T>(this IQueryable<T> query) => query.TagWith(LockTag);

    public static readonly IInterceptor PostgresLocking = new SkipLockedInterceptor();

    private sealed class SkipLockedInterceptor : DbCommandInterceptor
    {
        public override InterceptionResult<DbDataReader> ReaderExecuting(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            var clause = command.CommandText.StartsWith($"-- {ClaimTag}", StringComparison.Ordinal) ? "FOR UPDATE SKIP LOCKED"
                : command.CommandText.StartsWith($"-- {LockTag}", StringComparison.Ordinal) ? "FOR UPDATE"
                : null;
            if (clause is not null)
            {
                command.CommandText = command.CommandText.TrimEnd().TrimEnd(';') + "\n" + clause;
            }
            return result;
        }
    }
}
