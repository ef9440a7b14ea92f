// The XOR, OR and AND tables a perceptron or tiny MLP trains and is evaluated on.
namespace Workbench.Data.Tests;

public sealed class TruthTableTests
{
    [Theory]
    [InlineData("xor", new long[] { 0, 1, 1, 0 })]
    [InlineData("or", new long[] { 0, 1, 1, 1 })]
    [InlineData("and", new long[] { 0, 0, 0, 1 })]
    public void Each_table_has_the_four_input_pairs_and_the_gate_outputs(string op, long[] expected)
    {
        var table = Datasets.Truth(op);

        Assert.Equal([0f, 0f, 0f, 1f, 1f, 0f, 1f, 1f], table.Train.Features);
        Assert.Equal(expected, table.Train.Labels);
        Assert.Equal((4, 2, 2), (table.Train.Count, table.Train.FeatureSize, table.Train.ClassCount));
        Assert.Same(table.Train, table.Val);
        Assert.Same(table.Train, table.Test);
    }

    [Fact]
    public void Tables_of_different_gates_have_different_content_hashes()
    {
        Assert.NotEqual(Datasets.Truth("xor").ContentHash, Datasets.Truth("or").ContentHash);
    }

    [Fact]
    public void An_unknown_gate_lists_the_known_ones()
    {
        var error = Assert.Throws<DataException>(() => Datasets.Truth("nand"));

        Assert.Contains("'nand'", error.Message);
        Assert.Contains("xor, or or and", error.Message);
    }
}
