// Layers: PyTorch's parameter and buffer names, default initialisation, train/eval behaviour.
using Workbench.Torch.Nn;

namespace Workbench.Torch.Tests;

public sealed class LayerTests
{
    [Fact]
    public void Sequential_names_its_children_and_their_parameters_like_torch()
    {
        using var model = new Sequential(new Conv2d(1, 4, 3), new BatchNorm1d(4), new ReLU(), new Flatten(), new Linear(4, 2));

        var names = model.StateDict().Keys.Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(
        [
            "0.bias", "0.weight",
            "1.bias", "1.num_batches_tracked", "1.running_mean", "1.running_var", "1.weight",
            "4.bias", "4.weight",
        ], names);
    }

    [Fact]
    public void A_small_cnn_runs_forward_and_backward_without_leaking_tensors()
    {
        using var model = new Sequential(
            new Conv2d(1, 4, 3, padding: 1), new ReLU(), new MaxPool2d(2), new Flatten(), new Dropout(0.1), new Linear(4 * 4 * 4, 3), new Tanh());
        var before = TensorCensus.Take();
        using (TensorScope.Begin())
        {
            var x = Tensor.Randn([2, 1, 8, 8]);
            var y = model.Forward(x);
            Assert.Equal([2L, 3L], y.Shape);
            Functional.CrossEntropy(y, Tensor.From([0L, 2L])).Backward();
            Assert.All(model.Parameters(), p => Assert.NotNull(p.Grad()));
        }
        model.ZeroGrad();
        Assert.Equal(before, TensorCensus.Take());
    }

    [Fact]
    public void Conv2d_initialisation_stays_within_one_over_root_fan_in()
    {
        using var scope = TensorScope.Begin();
        using var conv = new Conv2d(4, 8, 3, groups: 2);  // fan_in = 4 / 2 * 3 * 3 = 18

        var bound = 1 / Math.Sqrt(18);
        Assert.Equal([8L, 2L, 3L, 3L], conv.Weight.Shape);
        Assert.InRange(conv.Weight.Abs().Max().Item(), bound * 0.8, bound);
        Assert.InRange(conv.Bias!.Abs().Max().Item(), 0, bound);
    }

    [Fact]
    public void Embedding_is_standard_normal_with_a_zero_padding_row()
    {
        using var scope = TensorScope.Begin();
        using var embedding = new Embedding(1000, 16, paddingIdx: 0);

        Assert.All(embedding.Weight.Narrow(0, 0, 1).ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.InRange(embedding.Weight.Std().Item(), 0.95, 1.05);
        Assert.Equal([2L, 16L], embedding.Forward(Tensor.From([5L, 0L])).Shape);
    }

    [Fact]
    public void Layer_norm_starts_as_plain_normalisation()
    {
        using var scope = TensorScope.Begin();
        using var norm = new LayerNorm(6);
        var x = Tensor.Randn([3, 6]) * 5 + 2;

        var y = norm.Forward(x);

        Assert.Equal(["bias", "weight"], norm.StateDict().Keys.Order(StringComparer.Ordinal));
        Assert.True(y.Mean(1).Abs().Max().Item() < 1e-5);
        Assert.InRange(y.Var([1], unbiased: false).Mean().Item(), 0.99, 1.0);
    }

    [Fact]
    public void Batch_norm_tracks_batches_in_training_and_uses_running_stats_in_eval()
    {
        using var scope = TensorScope.Begin();
        using var bn = new BatchNorm1d(3);
        var x = Tensor.Randn([16, 3]) + 4;

        bn.Forward(x);
        bn.Forward(x);
        var mean = x.Mean(0);
        bn.Eval();
        var y = bn.Forward(x);

        Assert.Equal(2, bn.NumBatchesTracked.ItemInt64());
        // Two momentum-0.1 updates from 0 leave 0.19 of the batch mean.
        Close.Assert(mean * 0.19, bn.RunningMean, "running_mean");
        Assert.Equal(2, bn.NumBatchesTracked.ItemInt64());
        Assert.True(y.Mean().Item() > 1, "eval mode must normalise with the (still small) running mean, not the batch's");
    }

    [Fact]
    public void Dropout_layer_follows_train_and_eval()
    {
        using var scope = TensorScope.Begin();
        using var model = new Sequential(new Dropout(0.5));
        var x = Tensor.Ones([1000]);

        var zeroedInTraining = model.Forward(x).Eq(0).Sum().Item();
        model.Eval();
        var zeroedInEval = model.Forward(x).Eq(0).Sum().Item();

        Assert.InRange(zeroedInTraining, 400, 600);
        Assert.Equal(0, zeroedInEval);
    }

    [Fact]
    public void Activation_layers_match_the_tensor_functions()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([10]);

        Assert.Equal(x.Relu().ToArray<float>(), new ReLU().Forward(x).ToArray<float>());
        Assert.Equal(x.Tanh().ToArray<float>(), new Tanh().Forward(x).ToArray<float>());
        Assert.Equal(x.Sigmoid().ToArray<float>(), new Sigmoid().Forward(x).ToArray<float>());
        Assert.Equal(x.Gelu(true).ToArray<float>(), new GELU(tanhApproximation: true).Forward(x).ToArray<float>());
    }
}
