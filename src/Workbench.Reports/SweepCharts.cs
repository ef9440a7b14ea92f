// The sweep report's charts of its trials as inline SVG (drawn here, so they need no script): parameters
// against the metric in parallel coordinates, the metric by trial number with the best so far, and each
// parameter's importance as a bar.
// Colours come from ChartStyle, as the run report's curves do. Inline SVG in HTML needs no xmlns, so the
// page keeps holding no URL at all.
using System.Globalization;
using System.Text;
using Workbench.Tracking;

namespace Workbench.Reports;

internal static class SweepCharts
{
    private const double Width = 960, Height = 380, Left = 70, Right = 70, Top = 44, Bottom = 36;
    private const string Muted = "#b8b8b8";

    public static string ParallelCoordinates(SweepReportInput sweep)
    {
        var scored = sweep.Trials.Where(t => t.Score is { } s && double.IsFinite(s)).ToList();
        if (scored.Count == 0)
        {
            return "<p>No trial has a score yet.</p>";
        }
        var axes = sweep.Parameters.Select(p => Axis.Of(p.Path, scored.Select(t => t.Parameters.GetValueOrDefault(p.Path, "")).ToList(), p.LogScale, betterUp: null))
            .Append(Axis.Of(sweep.MetricName, scored.Select(t => t.Score!.Value.ToString("R", CultureInfo.InvariantCulture)).ToList(), logScale: false, betterUp: sweep.Goal))
            .ToList();
        var svg = Open();
        double X(int axis) => axes.Count == 1 ? Width / 2 : Left + axis * (Width - Left - Right) / (axes.Count - 1);

        // Worst first, so the best trials are drawn on top; shade by rank.
        var ranked = scored.OrderBy(t => t.Score!.Value * (sweep.Goal == MetricGoal.Max ? -1 : 1)).ToList();
        for (var r = ranked.Count - 1; r >= 0; r--)
        {
            var trial = ranked[r];
            var values = sweep.Parameters.Select(p => trial.Parameters.GetValueOrDefault(p.Path, ""))
                .Append(trial.Score!.Value.ToString("R", CultureInfo.InvariantCulture)).ToList();
            var points = string.Join(" ", values.Select((v, a) => $"{F(X(a))},{F(axes[a].Y(v))}"));
            var shade = ranked.Count == 1 ? 1 : 1 - (double)r / (ranked.Count - 1);
            svg.Append("<polyline fill=\"none\" points=\"").Append(points).Append("\" stroke=\"").Append(ChartStyle.Palette[0])
                .Append("\" stroke-opacity=\"").Append(F(0.2 + 0.8 * shade)).Append("\" stroke-width=\"").Append(F(ChartStyle.LineWidth))
                .Append(trial.Status == "pruned" ? "\" stroke-dasharray=\"5 4" : "").Append("\"><title>")
                .Append(Text($"trial {trial.Number} ({trial.Status}): {sweep.MetricName} {ReportNumbers.Display(trial.Score.Value)}")).Append("</title></polyline>\n");
        }
        for (var a = 0; a < axes.Count; a++)
        {
            axes[a].Draw(svg, X(a));
        }
        return svg.Append("</svg>").ToString();
    }

    public static string ByTrial(SweepReportInput sweep)
    {
        var scored = sweep.Trials.Where(t => t.Score is { } s && double.IsFinite(s)).OrderBy(t => t.Number).ToList();
        if (scored.Count == 0)
        {
            return "<p>No trial has a score yet.</p>";
        }
        var maxNumber = Math.Max(1, sweep.Trials.Max(t => t.Number));
        var y = Axis.Of(sweep.MetricName, scored.Select(t => t.Score!.Value.ToString("R", CultureInfo.InvariantCulture)).ToList(), false, sweep.Goal);
        double X(int number) => Left + number * (Width - Left - Right) / maxNumber;
        var svg = Open();
        y.Draw(svg, Left - 20);
        svg.Append("<text x=\"").Append(F(Width / 2)).Append("\" y=\"").Append(F(Height - 6)).Append("\" text-anchor=\"middle\">trial</text>\n");

        // The best completed trial so far, as a step line: what the sweep knew after each trial.
        var best = new List<string>();
        double? sofar = null;
        foreach (var trial in scored.Where(t => t.Status == "completed"))
        {
            var value = trial.Score!.Value;
            if (sofar is { } previous)
            {
                best.Add($"{F(X(trial.Number))},{F(y.Y(Number(previous)))}");
            }
            sofar = sofar is { } b && !sweep.Goal.IsBetter(value, b) ? b : value;
            best.Add($"{F(X(trial.Number))},{F(y.Y(Number(sofar.Value)))}");
        }
        if (best.Count > 0)
        {
            best.Add($"{F(X(maxNumber))},{best[^1].Split(',')[1]}");
            svg.Append("<polyline fill=\"none\" stroke=\"").Append(ChartStyle.BaselineColour).Append("\" stroke-width=\"")
                .Append(F(ChartStyle.BaselineLineWidth)).Append("\" points=\"").Append(string.Join(" ", best)).Append("\"><title>best so far</title></polyline>\n");
        }
        foreach (var trial in scored)
        {
            var pruned = trial.Status == "pruned";
            svg.Append("<circle r=\"4\" cx=\"").Append(F(X(trial.Number))).Append("\" cy=\"").Append(F(y.Y(Number(trial.Score!.Value))))
                .Append(pruned ? $"\" fill=\"#fff\" stroke=\"{Muted}\"" : $"\" fill=\"{ChartStyle.Palette[0]}\"").Append("><title>")
                .Append(Text($"trial {trial.Number} ({trial.Status}{(pruned ? $" at step {trial.PrunedStep}" : "")}): {ReportNumbers.Display(trial.Score.Value)}"))
                .Append("</title></circle>\n");
        }
        svg.Append("<text x=\"").Append(F(Width - Right)).Append("\" y=\"16\" text-anchor=\"end\">● completed   ○ pruned (value when it stopped)   — best so far</text>\n");
        return svg.Append("</svg>").ToString();
    }

    /// <summary>One bar per parameter, longest first, each labelled with its share.</summary>
    public static string Importance(IReadOnlyList<ParameterShare> shares)
    {
        const double row = 26, label = 260, bars = Width - label - 80;
        var height = row * shares.Count + 10;
        var svg = new StringBuilder()
            .Append("<svg class=\"sweep-chart\" viewBox=\"0 0 ").Append(F(Width)).Append(' ').Append(F(height))
            .Append("\" width=\"").Append(F(Width)).Append("\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n");
        var y = 5.0;
        foreach (var share in shares.OrderByDescending(s => s.Share))
        {
            var shown = share.Share.ToString("0.00", CultureInfo.InvariantCulture);
            svg.Append("<text text-anchor=\"end\" x=\"").Append(F(label - 8)).Append("\" y=\"").Append(F(y + 16)).Append("\">").Append(Text(share.Path)).Append("</text>\n")
                .Append("<rect x=\"").Append(F(label)).Append("\" y=\"").Append(F(y + 3)).Append("\" height=\"").Append(F(row - 8))
                .Append("\" width=\"").Append(F(Math.Max(1, share.Share * bars))).Append("\" fill=\"").Append(ChartStyle.Palette[0])
                .Append("\"><title>").Append(Text($"{share.Path}: {shown}")).Append("</title></rect>\n")
                .Append("<text x=\"").Append(F(label + Math.Max(1, share.Share * bars) + 6)).Append("\" y=\"").Append(F(y + 16)).Append("\">")
                .Append(shown).Append("</text>\n");
            y += row;
        }
        return svg.Append("</svg>").ToString();
    }

    private static StringBuilder Open() => new StringBuilder()
        .Append("<svg class=\"sweep-chart\" viewBox=\"0 0 ").Append(F(Width)).Append(' ').Append(F(Height))
        .Append("\" width=\"").Append(F(Width)).Append("\" font-family=\"system-ui, sans-serif\" font-size=\"11\">\n");

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Text(string text) => HtmlText.Escape(text);

    /// <summary>
    /// One vertical axis: numeric (linear, or log for a log-uniform parameter) when every value is a
    /// number, else one evenly spaced place per distinct value (lists, strings, booleans).
    /// </summary>
    private sealed class Axis
    {
        private readonly string _title;
        private readonly bool _log;
        private readonly bool _flip;
        private readonly double _lowest, _highest;
        private readonly IReadOnlyList<string>? _categories;

        private Axis(string title, bool log, bool flip, double lowest, double highest, IReadOnlyList<string>? categories) =>
            (_title, _log, _flip, _lowest, _highest, _categories) = (title, log, flip, lowest, highest, categories);

        /// <param name="betterUp">For the metric: its goal, so the better end is at the top.</param>
        public static Axis Of(string title, IReadOnlyList<string> values, bool logScale, MetricGoal? betterUp)
        {
            var flip = betterUp == MetricGoal.Min;
            var numbers = values.Select(Parse).ToList();
            if (numbers.Any(n => n is null))
            {
                return new Axis(title, false, flip, 0, 0, values.Distinct().ToList());
            }
            var log = logScale && numbers.All(n => n > 0);
            return new Axis(title + (log ? " (log)" : ""), log, flip, numbers.Min()!.Value, numbers.Max()!.Value, null);
        }

        public double Y(string value)
        {
            double t;
            if (_categories is { } categories)
            {
                t = categories.Count == 1 ? 0.5 : (double)Math.Max(0, categories.ToList().IndexOf(value)) / (categories.Count - 1);
            }
            else
            {
                var (low, high, at) = (Scale(_lowest), Scale(_highest), Scale(Parse(value) ?? _lowest));
                t = high == low ? 0.5 : (at - low) / (high - low);
            }
            if (_flip) t = 1 - t;
            return Top + (1 - t) * (Height - Top - Bottom);
        }

        public void Draw(StringBuilder svg, double x)
        {
            svg.Append("<line stroke=\"#555\" x1=\"").Append(F(x)).Append("\" x2=\"").Append(F(x)).Append("\" y1=\"").Append(F(Top))
                .Append("\" y2=\"").Append(F(Height - Bottom)).Append("\"/>\n")
                .Append("<text font-weight=\"600\" text-anchor=\"middle\" x=\"").Append(F(x)).Append("\" y=\"").Append(F(Top - 22)).Append("\">")
                .Append(Text(_title)).Append("</text>\n");
            var ticks = _categories?.Select(c => (Value: c, Shown: c))
                ?? new[] { _lowest, _highest }.Distinct().Select(v => (Value: Number(v), Shown: ReportNumbers.Display(v)));
            foreach (var (value, shown) in ticks)
            {
                svg.Append("<text x=\"").Append(F(x + 5)).Append("\" y=\"").Append(F(Y(value) + 4)).Append("\">").Append(Text(shown)).Append("</text>\n");
            }
        }

        private double Scale(double value) => _log ? Math.Log10(value) : value;

        private static double? Parse(string text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;
    }
}
