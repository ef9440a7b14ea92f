// The Bradley-Terry reward loss against PyTorch (TRL's RewardTrainer formula): plain, with per-pair margins, and
// with the centring penalty; the metrics it logs; and its gradient against finite differences in float64.
using Workbench.Models.PostTraining;
using Workbench.Torch;

namespace Workbench.Models.Tests.PostTraining;

public sealed class RewardLossTests
{
    [Theory]
    [InlineData("plain", false, 0)]
    [InlineData("margin", true, 0)]
    [InlineData("centred", true, 0.01)]
    public void Loss_metrics_and_gradients_match_torch(string name, bool withMargin, double centerCoefficient) =>
        PostTrainingFixture.Run(f =>
        {
            // Given six pairs' rewards, one a tie and one 40 apart the wrong way
            var (chosen, rejected) = (f.Leaf("reward.chosen"), f.Leaf("reward.rejected"));

            // When the loss is computed and backpropagated
            var reward = RewardLoss.Compute(chosen, rejected, withMargin ? f["reward.margin"] : null, centerCoefficient);
            reward.Loss.Backward();

            // Then loss, gradients and every metric are torch's
            f.Expect($"reward.{name}.loss", reward.Loss);
            f.Expect($"reward.{name}.grad.chosen", chosen.Grad()!);
            f.Expect($"reward.{name}.grad.rejected", rejected.Grad()!);
            foreach (var (key, value) in reward.Metrics) f.Expect($"reward.{name}.{key}", value);
        });

    [Fact]
    public void The_gradient_with_margin_and_centring_matches_finite_differences()
    {
        using var scope = TensorScope.Begin();
        double[] chosen = [0.3, -1.2, 2.5, 0.0], rejected = [0.1, 0.4, -0.5, 0.0], margin = [0.5, 0.0, 1.0, 0.25];
        double Loss(double[] c) => RewardLoss.Compute(Tensor.From(c, 4), Tensor.From(rejected, 4), Tensor.From(margin, 4), 0.05).Loss.Item();

        var leaf = Tensor.From(chosen, 4).RequiresGrad_();
        RewardLoss.Compute(leaf, Tensor.From(rejected, 4), Tensor.From(margin, 4), 0.05).Loss.Backward();
        var analytic = leaf.Grad()!.ToArray<double>();

        const double h = 1e-6;
        for (var i = 0; i < chosen.Length; i++)
        {
            var (up, down) = ((double[])chosen.Clone(), (double[])chosen.Clone());
            up[i] += h;
            down[i] -= h;
            Assert.Equal((Loss(up) - Loss(down)) / (2 * h), analytic[i], 1e-7);
        }
    }

    [Fact]
    public void Rewards_of_different_shapes_are_refused_with_both_shapes_named()
    {
        using var scope = TensorScope.Begin();
        var e = Assert.Throws<ArgumentException>(() => RewardLoss.Compute(Tensor.Zeros([4]), Tensor.Zeros([3])));
        Assert.Contains("chosen [4], rejected [3]", e.Message);
    }
}
