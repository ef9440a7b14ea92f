// Finds libworkbench_native.so: WORKBENCH_NATIVE, beside the app, or the repository's build folder.
using System.Reflection;
using System.Runtime.InteropServices;

namespace Workbench.Torch.Native;

internal static class NativeLibraryLoader
{
    internal const string LibraryName = "workbench_native";
    private const string FileName = "libworkbench_native.so";

    private static int _registered;

    internal static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName) return IntPtr.Zero;
        foreach (var candidate in Candidates())
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle)) return handle;
        }
        throw new DllNotFoundException(
            $"{FileName} was not found (looked in: {string.Join(", ", Candidates())}). " +
            "Run `make setup` to build the native shim, or set WORKBENCH_NATIVE to its path.");
    }

    private static IEnumerable<string> Candidates()
    {
        var fromEnv = Environment.GetEnvironmentVariable("WORKBENCH_NATIVE");
        if (!string.IsNullOrEmpty(fromEnv)) yield return fromEnv;
        yield return Path.Combine(AppContext.BaseDirectory, FileName);
        // Development layout: walk up to the repository root and use its build folder.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "build", "native", FileName);
            if (File.Exists(path)) { yield return path; yield break; }
        }
    }
}
