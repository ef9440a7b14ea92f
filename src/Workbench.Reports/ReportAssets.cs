// The files a report inlines: uPlot (installed by npm, embedded at build time) and the page's own script and style.
using System.Reflection;
using System.Text.RegularExpressions;

namespace Workbench.Reports;

internal static partial class ReportAssets
{
    private static readonly Lazy<string> UPlotScriptText = new(() => Inlineable(StripBanner(Read("uPlot.js")), "uPlot.js"));
    private static readonly Lazy<string> UPlotStyleText = new(() => Read("uPlot.css"));
    private static readonly Lazy<string> PageScriptText = new(() => Inlineable(Read("report.js"), "report.js"));
    private static readonly Lazy<string> PageStyleText = new(() => Read("report.css"));

    public static string UPlotScript => UPlotScriptText.Value;
    public static string UPlotStyle => UPlotStyleText.Value;
    public static string PageScript => PageScriptText.Value;
    public static string PageStyle => PageStyleText.Value;

    internal static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException(
                $"the report asset '{name}' is not built into Workbench.Reports: run `make build` " +
                "(it installs uPlot with npm ci in src/Workbench.Reports/web and rebuilds)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    // uPlot's banner comment holds its project URL; a report holds no external URL at all,
    // so it is replaced by a plain attribution.
    private static string StripBanner(string script)
    {
        var match = BannerPattern().Match(script);
        return match.Success ? $"/* uPlot {match.Groups[1].Value} (MIT licence), leeoniya/uPlot */" + script[match.Length..] : script;
    }

    // An inline script ends at the first `</script`; a library that contains it cannot be inlined safely.
    private static string Inlineable(string script, string name) =>
        script.Contains("</script", StringComparison.OrdinalIgnoreCase) || script.Contains("<!--", StringComparison.Ordinal)
            ? throw new InvalidOperationException($"the report asset '{name}' contains '</script' or '<!--' and cannot be inlined")
            : script;

    [GeneratedRegex(@"^/\*!\s*\S+\s*\((v[\d.]+)\)\s*\*/")]
    private static partial Regex BannerPattern();
}
