// Runs that cannot be drawn as asked: a metric no run logged, a run with no points, an x axis a run lacks.
namespace Workbench.Reports;

/// <summary>The message names the run or metric and says what it lacks; the command line shows it as bad input.</summary>
public sealed class ChartDataException(string message) : Exception(message);
