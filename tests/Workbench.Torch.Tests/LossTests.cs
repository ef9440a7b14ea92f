// Losses against PyTorch's values: cross entropy (reductions, ignore_index, label smoothing,
// (N, C, d...) inputs), nll, mse, binary cross entropy with logits, and log-sigmoid in its tails.
namespace Workbench.Torch.Tests;

public sealed class LossTests
{
    private const string File = "loss.safetensors";

    [Theory]
    [InlineData("none", Reduction.None)]
    [InlineData("mean", Reduction.Mean)]
    [InlineData("sum", Reduction.Sum)]
    public void Cross_entropy_matches_torch_for_each_reduction(string name, Reduction reduction) =>
        OpFixture.Check(File, $"cross_entropy_{name}", x => Functional.CrossEntropy(x[0], x[1], reduction));

    [Fact]
    public void Cross_entropy_leaves_ignored_targets_out_of_the_mean() =>
        OpFixture.Check(File, "cross_entropy_ignore", x => Functional.CrossEntropy(x[0], x[1]));

    [Fact]
    public void Cross_entropy_with_label_smoothing_matches_torch() =>
        OpFixture.Check(File, "cross_entropy_smoothing", x => Functional.CrossEntropy(x[0], x[1], labelSmoothing: 0.1));

    [Fact]
    public void Cross_entropy_over_extra_dims_matches_torch() =>
        OpFixture.Check(File, "cross_entropy_nd", x => Functional.CrossEntropy(x[0], x[1], ignoreIndex: 7, labelSmoothing: 0.2));

    [Fact] public void Nll_loss_matches_torch() => OpFixture.Check(File, "nll_loss", x => Functional.NllLoss(x[0], x[1]));
    [Fact] public void Mse_loss_matches_torch() => OpFixture.Check(File, "mse_loss", x => Functional.MseLoss(x[0], x[1]));
    [Fact] public void Mse_loss_without_reduction_matches_torch() => OpFixture.Check(File, "mse_loss_none", x => Functional.MseLoss(x[0], x[1], Reduction.None));
    [Fact] public void Bce_with_logits_matches_torch() => OpFixture.Check(File, "bce_with_logits", x => Functional.BinaryCrossEntropyWithLogits(x[0], x[1]));

    [Fact]
    public void Bce_with_logits_summed_matches_torch() =>
        OpFixture.Check(File, "bce_with_logits_sum", x => Functional.BinaryCrossEntropyWithLogits(x[0], x[1], Reduction.Sum));

    [Fact]
    public void Log_sigmoid_matches_torch_far_into_both_tails() =>
        OpFixture.Check(File, "log_sigmoid", x => x[0].LogSigmoid());
}
