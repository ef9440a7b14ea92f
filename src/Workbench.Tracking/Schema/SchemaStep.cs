// One ordered, frozen change to the database schema; SchemaSteps lists them all.
namespace Workbench.Tracking.Schema;

/// <summary>
/// Moves a database from version <c>Version - 1</c> to <paramref name="Version"/>. <paramref name="Sql"/>
/// serves both providers unless <paramref name="PostgresSql"/> gives PostgreSQL's own spelling.
/// </summary>
internal sealed record SchemaStep(int Version, string Description, string Sql, string? PostgresSql = null)
{
    public string SqlFor(StoreProvider provider) =>
        provider == StoreProvider.Postgres && PostgresSql is not null ? PostgresSql : Sql;
}
