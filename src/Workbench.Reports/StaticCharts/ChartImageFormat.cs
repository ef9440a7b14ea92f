// The image formats a static chart is written in, chosen by the file's extension.
namespace Workbench.Reports;

public enum ChartImageFormat
{
    Png,
    Svg,
}

public static class ChartImageFormats
{
    /// <summary>The format a path's extension names (`.png`, `.svg`, any case), or null for any other.</summary>
    public static ChartImageFormat? OfPath(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => ChartImageFormat.Png,
        ".svg" => ChartImageFormat.Svg,
        _ => null,
    };
}
