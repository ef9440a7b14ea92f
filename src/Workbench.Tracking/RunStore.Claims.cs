// Claiming a row that many processes compete for (a run to resume; a sweep's next pending trial):
// exactly one process takes each row, and a process never waits on a row another one is taking.
using Microsoft.EntityFrameworkCore;
using Workbench.Tracking.Schema;

namespace Workbench.Tracking;

public sealed partial class RunStore
{
    /// <summary>
    /// Takes the first row of <paramref name="candidates"/> that no other process is claiming, lets
    /// <paramref name="claim"/> change it (or decline it by returning false) and commits the change.
    /// Returns the claimed row, or null when no row was free or the claim was declined.
    /// On PostgreSQL the row is read with FOR UPDATE SKIP LOCKED, so processes on many machines each
    /// take a different row at once; on SQLite the read and the change run in one BEGIN IMMEDIATE
    /// transaction, which holds the database's single write lock.
    /// </summary>
    internal TRow? ClaimNext<TRow>(Func<TrackingDbContext, IQueryable<TRow>> candidates, Func<TRow, bool> claim)
        where TRow : class => Use(db =>
    {
        using var transaction = db.Database.BeginTransaction();
        var row = candidates(db).TagWith(RowClaims.ClaimTag).FirstOrDefault();
        if (row is null || !claim(row))
        {
            return null; // disposing the transaction rolls it back
        }
        db.SaveChanges();
        transaction.Commit();
        return row;
    });
}
