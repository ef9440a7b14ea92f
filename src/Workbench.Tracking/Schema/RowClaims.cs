// How a query asks PostgreSQL for row locks that other processes skip: EF Core cannot say
// FOR UPDATE SKIP LOCKED, so RunStore.ClaimNext tags its query and this interceptor appends it.
// SQLite needs no such clause: the claim's BEGIN IMMEDIATE already holds the one write lock.
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Workbench.Tracking.Schema;

internal static class RowClaims
{
    /// <summary>The tag (an SQL comment at the top of the query) that marks a claiming SELECT.</summary>
    public const string Tag = "workbench: claim";

    public static readonly IInterceptor PostgresLocking = new SkipLockedInterceptor();

    private sealed class SkipLockedInterceptor : DbCommandInterceptor
    {
        public override InterceptionResult<DbDataReader> ReaderExecuting(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            if (command.CommandText.StartsWith($"-- {Tag}", StringComparison.Ordinal))
            {
                command.CommandText = command.CommandText.TrimEnd().TrimEnd(';') + "\nFOR UPDATE SKIP LOCKED";
            }
            return result;
        }
    }
}
