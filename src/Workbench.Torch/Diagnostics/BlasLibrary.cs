// Which BLAS the process actually loaded, read from /proc/self/maps: libtorch's build config only says
// "generic" on Debian, where the alternatives system decides at run time between OpenBLAS and the
// reference BLAS (about 40x slower for matmul).
namespace Workbench.Torch.Diagnostics;

/// <summary>The BLAS serving matrix products: a name, the file it was loaded from, and whether it is the slow reference one.</summary>
public sealed record BlasLibrary(string Name, string? Path, bool IsReference)
{
    private static readonly string[] Markers = ["libopenblas", "libblas", "libmkl", "libblis", "libatlas", "libcblas"];

    /// <summary>The BLAS mapped into this process (call after the engine is loaded).</summary>
    public static BlasLibrary Detect()
    {
        string[] lines;
        try { lines = File.ReadAllLines("/proc/self/maps"); }
        catch (IOException) { return new BlasLibrary("unknown (no /proc/self/maps)", null, false); }
        catch (UnauthorizedAccessException) { return new BlasLibrary("unknown (no /proc/self/maps)", null, false); }
        return FromMappedPaths(lines.Select(PathOf).OfType<string>().Distinct());
    }

    /// <summary>
    /// Names the BLAS among mapped library paths. libblas.so.3 comes first in libtorch's load order, so
    /// it provides sgemm when present; its real path (the maps hold resolved paths) says whose it is.
    /// </summary>
    public static BlasLibrary FromMappedPaths(IEnumerable<string> paths)
    {
        var candidates = paths.Where(p => Markers.Any(m => System.IO.Path.GetFileName(p).StartsWith(m, StringComparison.Ordinal))).ToList();
        var blas = candidates.FirstOrDefault(p => System.IO.Path.GetFileName(p).StartsWith("libblas", StringComparison.Ordinal))
                   ?? candidates.FirstOrDefault();
        if (blas is null) return new BlasLibrary("none found (libtorch may bundle its own, e.g. MKL linked statically)", null, false);
        var lower = blas.ToLowerInvariant();
        if (lower.Contains("openblas")) return new BlasLibrary("OpenBLAS", blas, false);
        if (lower.Contains("mkl")) return new BlasLibrary("Intel MKL", blas, false);
        if (lower.Contains("blis")) return new BlasLibrary("BLIS", blas, false);
        if (lower.Contains("atlas")) return new BlasLibrary("ATLAS", blas, false);
        return new BlasLibrary("reference BLAS (netlib)", blas, true);
    }

    // A maps line: address perms offset dev inode [path]; only absolute paths to shared objects matter.
    private static string? PathOf(string line)
    {
        var slash = line.IndexOf('/');
        if (slash < 0) return null;
        var path = line[slash..].Trim();
        return path.Contains(".so", StringComparison.Ordinal) ? path : null;
    }
}
