// Config diff: resolved specs flattened to dotted paths, only differing keys reported.
namespace Workbench.Reports.Tests;

public sealed class ConfigDiffTests
{
    private const string Baseline = """
        {"name":"mnist-mlp","seed":1337,"model":{"kind":"mlp","hidden":[200,100]},
         "train":{"optimizer":{"name":"adam","lr":0.001},"grad_clip":null,"tags":[]}}
        """;

    [Fact]
    public void Only_keys_whose_values_differ_are_reported_by_dotted_path()
    {
        // Given a run that changes the lr, one hidden width and the grad clip, and adds a key
        const string other = """
            {"name":"mnist-mlp","seed":1337,"model":{"kind":"mlp","hidden":[200,50]},
             "train":{"optimizer":{"name":"adam","lr":3e-3},"grad_clip":1.0,"tags":[],"epochs":2}}
            """;

        // When the configs are diffed
        var differences = ConfigDiff.Diff(Baseline, other);

        // Then exactly those keys come back, with both values as a researcher reads them
        Assert.Equal(
            [
                new ConfigDifference("model.hidden[1]", "100", "50"),
                new ConfigDifference("train.optimizer.lr", "0.001", "3e-3"),
                new ConfigDifference("train.grad_clip", "null", "1.0"),
                new ConfigDifference("train.epochs", null, "2"),
            ],
            differences);
    }

    [Fact]
    public void Numbers_written_differently_but_equal_are_the_same()
    {
        Assert.Empty(ConfigDiff.Diff("""{"lr":0.001,"n":2}""", """{"lr":1.0e-3,"n":2.0}"""));
    }

    [Fact]
    public void A_key_missing_from_the_other_run_is_reported_as_removed()
    {
        var differences = ConfigDiff.Diff("""{"a":{"b":"x"},"c":1}""", """{"c":1}""");
        Assert.Equal([new ConfigDifference("a.b", "x", null)], differences);
    }

    [Fact]
    public void A_string_and_a_number_with_the_same_text_differ()
    {
        Assert.Single(ConfigDiff.Diff("""{"a":"1"}""", """{"a":1}"""));
    }

    [Fact]
    public void Flattening_keeps_empty_containers_as_leaves()
    {
        var leaves = ConfigDiff.Flatten(Baseline);
        Assert.Equal("[]", leaves["train.tags"].Text);
        Assert.Equal("adam", leaves["train.optimizer.name"].Text);
        Assert.Equal("200", leaves["model.hidden[0]"].Text);
    }

    [Fact]
    public void Invalid_json_is_a_clear_error()
    {
        var error = Assert.Throws<FormatException>(() => ConfigDiff.Diff("{", "{}"));
        Assert.Contains("not valid JSON", error.Message);
    }
}
