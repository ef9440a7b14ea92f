// docs/spec-reference.md is generated from the readers and the catalogs; these tests fail when the
// committed file is out of date (and say how to regenerate it), and check that it covers every key.
using Workbench.Experiments.Catalog;
using Workbench.Experiments.Specs;

namespace Workbench.Experiments.Tests.Specs;

public sealed class SpecReferenceTests
{
    private static readonly string Committed = Path.Combine(FindRepository(), "docs", "spec-reference.md");

    [Fact]
    public void The_committed_spec_reference_is_what_the_code_generates()
    {
        var generated = SpecReference.Markdown();
        if (Environment.GetEnvironmentVariable("WORKBENCH_WRITE_DOCS") == "1") File.WriteAllText(Committed, generated);

        var committed = File.Exists(Committed) ? File.ReadAllText(Committed) : "";

        Assert.True(committed == generated,
            $"docs/spec-reference.md is out of date with the spec readers or the catalogs; regenerate it with\n  {SpecReference.Regenerate}\nand commit it.");
    }

    [Fact]
    public void The_reference_lists_every_top_level_key_every_model_key_and_every_metric()
    {
        var reference = SpecReference.Markdown();

        Assert.All(SpecResolver.RootKeys, key => Assert.Contains($"| `{key}", reference));
        Assert.All(SpecCatalog.ModelKinds.SelectMany(SpecCatalog.ModelKeys), key => Assert.Contains($"| `model.{key}` |", reference));
        Assert.All(MetricTable.Catalog.Definitions, metric => Assert.Contains($"| `{metric.Name}` |", reference));
    }

    [Fact]
    public void A_default_that_depends_on_the_dataset_or_model_kind_is_given_for_each()
    {
        var reference = SpecReference.Markdown();

        Assert.Contains("| `data.split.val` | number | `0.1` (mnist, linreg, names, sotu, text, tasks, jsonl); `0` (xor, or, and) |", reference);
        Assert.Contains("| `model.activation` | string | `relu` (mlp, cnn); `sigmoid` (perceptron); `tanh` (char-mlp)", reference);
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workbench.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("Workbench.sln not found above " + AppContext.BaseDirectory);
    }
}
