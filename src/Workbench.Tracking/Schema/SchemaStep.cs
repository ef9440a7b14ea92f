// One ordered, frozen change to the database schema; SchemaSteps lists them all.
namespace Workbench.Tracking.Schema;

/// <summary>Moves a database from version <c>Version - 1</c> to <paramref name="Version"/>.</summary>
internal sealed record SchemaStep(int Version, string Description, string Sql);
