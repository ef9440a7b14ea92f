// Training progress on stderr: a live Spectre.Console bar on a terminal, one plain line every few
// seconds otherwise (CI logs, pipes). Stdout is left to the run id alone.
using System.Globalization;
using Spectre.Console;
using Workbench.Experiments.Runs;

namespace Workbench.Cli;

internal static class TerminalObserver
{
    public static readonly IAnsiConsole Stderr = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
    });

    /// <summary>Runs <paramref name="work"/> with an observer suited to where stderr goes.</summary>
    public static T Run<T>(Func<ITrainingObserver, T> work)
    {
        if (Console.IsErrorRedirected || Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
            return work(new PlainObserver());
        T result = default!;
        Stderr.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => result = work(new LiveObserver(ctx)));
        return result;
    }

    internal static string Describe(TrainingProgress p)
    {
        var parts = new List<string> { $"step {p.Step}/{p.TotalSteps}", $"epoch {p.Epoch.ToString("0.00", CultureInfo.InvariantCulture)}" };
        if (p.TrainLoss is { } loss) parts.Add($"loss {loss.ToString("0.0000", CultureInfo.InvariantCulture)}");
        if (p.EvalMetric is { } metric) parts.Add($"{p.EvalMetricName} {metric.ToString("0.0000", CultureInfo.InvariantCulture)}");
        if (p.ItemsPerSecond is { } rate) parts.Add($"{rate.ToString("N0", CultureInfo.InvariantCulture)} {p.ItemsUnit}/s");
        return string.Join("  ", parts);
    }

    private sealed class LiveObserver(ProgressContext context) : ITrainingObserver
    {
        private ProgressTask? _task;
        private string _name = "";

        public void OnStart(string runId, string runName, long totalSteps)
        {
            _name = $"{runName} ({runId})";
            _task = context.AddTask(Markup.Escape(_name), maxValue: Math.Max(1, totalSteps));
        }

        public void OnProgress(TrainingProgress progress)
        {
            if (_task == null) return;
            _task.Value = progress.Step;
            _task.Description = Markup.Escape($"{_name}  {Describe(progress)}");
        }

        public void OnMessage(string message) => Stderr.MarkupLine(Markup.Escape(message));

        public void OnEnd()
        {
            if (_task != null) _task.Value = _task.MaxValue;
        }
    }

    // One line per twentieth of the run, so a log stays short whatever the run's length.
    private sealed class PlainObserver : ITrainingObserver
    {
        private long _every = 1;
        private long _next;
        private TrainingProgress? _last;

        public void OnStart(string runId, string runName, long totalSteps)
        {
            _every = Math.Max(1, totalSteps / 20);
            _next = _every;
            Console.Error.WriteLine($"run {runName} ({runId}): {totalSteps} steps");
        }

        public void OnProgress(TrainingProgress progress)
        {
            _last = progress;
            if (progress.Step < _next) return;
            _next = (progress.Step / _every + 1) * _every;
            Console.Error.WriteLine(Describe(progress));
            _last = null;
        }

        public void OnMessage(string message) => Console.Error.WriteLine(message);

        public void OnEnd()
        {
            if (_last != null) Console.Error.WriteLine(Describe(_last));
        }
    }
}
