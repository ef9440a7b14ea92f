// What one metric means: the one row of the metric catalog that every layer reads instead of
// guessing from the name. The type lives here, in the lowest layer that knows metrics, so that
// Tracking and Reports can take definitions as data; the table itself is written where the stages
// that log the metrics live (Workbench.Experiments/Catalog/MetricTable.cs) and passed down.
namespace Workbench.Tracking;

/// <summary>
/// One metric, or one family of metrics when <see cref="Name"/> holds a placeholder in angle
/// brackets (`val/exact_match/&lt;task&gt;` stands for `val/exact_match/gsm8k`, ...); a placeholder
/// matches one path segment.
/// </summary>
/// <param name="Name">The logged key, or its pattern.</param>
/// <param name="Goal">Which direction is better; decides best/ values, verdicts and `metric.goal`.</param>
/// <param name="Chart">The report chart it is drawn in, shared with related metrics; null for a figure
/// that is not a curve (an x axis such as epoch, or a run-level number such as params).</param>
/// <param name="Timing">It measures the machine (speed, memory), not the training, so two identical
/// runs differ in it; `rerun --verify` leaves it out.</param>
/// <param name="EvaluatedBy">The stages whose evaluation computes it, so a spec's `metric` may name it
/// there. An entry `stage(task)` limits it to one task of the stage (accuracy only when supervised
/// training classifies).</param>
/// <param name="Meaning">One line for the spec reference.</param>
public sealed record MetricDefinition(
    string Name,
    MetricGoal Goal,
    string? Chart,
    string Meaning,
    bool Timing = false,
    IReadOnlyList<string>? EvaluatedBy = null)
{
    /// <summary><see cref="EvaluatedBy"/>, empty for a metric no evaluation computes (a training or summary figure).</summary>
    public IReadOnlyList<string> Stages => EvaluatedBy ?? [];

    public bool IsPattern => Name.Contains('<');
}
