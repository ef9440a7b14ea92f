// How numbers are written in reports: 7 significant digits in embedded data, fewer on screen.
using System.Globalization;

namespace Workbench.Reports;

public static class ReportNumbers
{
    /// <summary>Significant digits kept for embedded chart data: float32 precision, so nothing a run logged is lost.</summary>
    public const int EmbeddedDigits = 7;

    /// <summary><paramref name="value"/> rounded to 7 significant digits.</summary>
    public static double Round7(double value) => double.Parse(Json7(value), CultureInfo.InvariantCulture);

    /// <summary>
    /// A finite value as a JSON number with at most 7 significant digits (`0.1234568`, `1.5E-05`);
    /// "G7" always yields valid JSON number text for finite values.
    /// </summary>
    public static string Json7(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"JSON has no number for {value}");
        }
        return value.ToString("G7", CultureInfo.InvariantCulture);
    }

    /// <summary>A value as a table shows it: 4 significant digits, `NaN` and `inf` spelled out.</summary>
    public static string Display(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        var abs = Math.Abs(value);
        if (abs is >= 1e-3 and < 1e4) return value.ToString("G4", CultureInfo.InvariantCulture);
        if (abs is >= 1e4 and < 1e7 || value == 0) return value.ToString("0", CultureInfo.InvariantCulture);
        return value.ToString("0.###e+0", CultureInfo.InvariantCulture);
    }

    /// <summary>A signed value (`+0.0123`, `-1.5`), as deltas are shown.</summary>
    public static string Signed(double value) => (value > 0 ? "+" : "") + Display(value);

    /// <summary>A relative delta as a signed percentage (`-12.3%`).</summary>
    public static string Percent(double fraction) =>
        (fraction > 0 ? "+" : "") + (fraction * 100).ToString("0.0#", CultureInfo.InvariantCulture) + "%";

    /// <summary>A p-value (`0.034`, `< 0.001`).</summary>
    public static string PValue(double p) =>
        p < 0.001 ? "< 0.001" : p.ToString("0.###", CultureInfo.InvariantCulture);
}
