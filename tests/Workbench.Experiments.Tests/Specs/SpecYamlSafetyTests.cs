// The YAML gate: no tags, no alias bombs, no duplicate keys.
using Workbench.Experiments.Specs;

namespace Workbench.Experiments.Tests.Specs;

public sealed class SpecYamlSafetyTests : IDisposable
{
    private readonly SpecFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("name: !!python/object:os.system x\n", "!!python/object")]
    [InlineData("name: x\nseed: !!int 5\n", "!!int")]
    [InlineData("name: x\ntrain: !custom {batch_size: 4}\n", "!custom")]
    public void An_explicit_tag_is_rejected_with_its_position(string yaml, string tag)
    {
        var errors = _folder.Errors(yaml);

        var error = Assert.Single(errors, e => e.Message.Contains("tags are not allowed"));
        Assert.Contains(tag, error.Message);
        Assert.True(error.Line >= 1);
    }

    [Fact]
    public void An_alias_bomb_fails_fast_with_a_clear_error()
    {
        var yaml = "name: bomb\n" +
                   "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" +
                   string.Concat(Enumerable.Range(1, 8).Select(i =>
                       $"{(char)('a' + i)}: &{(char)('a' + i)} [{string.Join(", ", Enumerable.Repeat($"*{(char)('a' + i - 1)}", 9))}]\n"));

        var error = Assert.Single(_folder.Errors(yaml));

        Assert.Contains("alias bomb", error.Message);
        Assert.Contains("100000", error.Message);
    }

    [Fact]
    public void Deeply_nested_yaml_is_refused_instead_of_overflowing_the_stack()
    {
        var error = Assert.Single(_folder.Errors("name: x\nnotes: " + new string('[', 5000) + new string(']', 5000) + "\n"));

        Assert.Contains("nested more than", error.Message);
    }

    [Fact]
    public void A_few_aliases_within_the_bound_are_expanded()
    {
        var spec = _folder.Load("name: x\ntags: [&t fast, *t]\n");

        Assert.Equal(ValueList.Of("fast", "fast"), spec.Tags);
    }

    [Fact]
    public void A_duplicate_key_is_reported_at_the_second_occurrence()
    {
        var errors = _folder.Errors("name: x\ntrain:\n  batch_size: 4\n  epochs: 1\n  batch_size: 8\n");

        var error = Assert.Single(errors);
        Assert.Equal("train.batch_size", error.KeyPath);
        Assert.Equal((5, 3), (error.Line, error.Column));
        Assert.Contains("duplicate key `batch_size` (first at line 3, column 3)", error.Message);
    }

    [Fact]
    public void A_second_document_in_one_file_is_an_error()
    {
        var errors = _folder.Errors("name: x\n---\nname: y\n");

        Assert.Contains(errors, e => e.Message.Contains("one YAML document") && e.Line == 2);
    }
}
