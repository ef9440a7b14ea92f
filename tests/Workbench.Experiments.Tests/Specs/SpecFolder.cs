// A temporary folder of spec files for a test, and a way to load one and catch its errors.
using Workbench.Experiments.Specs;

namespace Workbench.Experiments.Tests.Specs;

internal sealed class SpecFolder : IDisposable
{
    public SpecFolder() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "wb-spec-" + Guid.NewGuid().ToString("N"));

    public string Write(string name, string yaml)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, yaml);
        return path;
    }

    public ExperimentSpec Load(string yaml, params string[] overrides) => SpecLoader.Load(Write("spec.yaml", yaml), overrides);

    /// <summary>The errors loading <paramref name="yaml"/> reports; fails the test when it loads.</summary>
    public IReadOnlyList<SpecError> Errors(string yaml, params string[] overrides) =>
        Assert.Throws<SpecException>(() => Load(yaml, overrides)).Errors;

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
