// Random-generator state: captured and restored (through its checkpoint bytes) it replays the same draws.
namespace Workbench.Torch.Tests;

public sealed class RngStateTests
{
    [Fact]
    public void Restoring_a_captured_state_reproduces_the_same_random_numbers()
    {
        // Given a generator part-way through its stream, captured and written as checkpoint bytes
        using var scope = TensorScope.Begin();
        Torch.ManualSeed(5);
        _ = Tensor.Randn([10]);
        var saved = RngState.Capture().ToBytes();
        var first = Tensor.Rand([100]).ToArray<float>();
        var firstNormal = Tensor.Empty([50]).Normal_(1, 2).ToArray<float>();

        // When more numbers are drawn and the state is then restored from the bytes
        _ = Tensor.Randn([1000]);
        RngState.FromBytes(saved).Restore();

        // Then the same numbers come out again
        Assert.Equal(first, Tensor.Rand([100]).ToArray<float>());
        Assert.Equal(firstNormal, Tensor.Empty([50]).Normal_(1, 2).ToArray<float>());
    }

    [Fact]
    public void Bytes_that_are_not_a_saved_state_are_refused()
    {
        var e = Assert.Throws<FormatException>(() => RngState.FromBytes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
        Assert.Contains("random-generator state", e.Message);

        var truncated = RngState.Capture().ToBytes()[..20];
        Assert.Throws<FormatException>(() => RngState.FromBytes(truncated));
    }
}
