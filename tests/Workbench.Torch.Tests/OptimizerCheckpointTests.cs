// Optimizer state through a checkpoint: saving, loading into a fresh model and optimizer, and going on
// must be indistinguishable from never stopping; a state dict that does not fit is refused whole.
using Workbench.Torch.Nn;
using Workbench.Torch.Optim;

namespace Workbench.Torch.Tests;

public sealed class OptimizerCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wb-optim-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Optimizer Create(string name, Module model) => name switch
    {
        "sgd" => new Sgd(model.Parameters(), learningRate: 0.05, momentum: 0.9, weightDecay: 1e-3, nesterov: true),
        "adam" => new Adam(model.Parameters(), learningRate: 0.01, weightDecay: 1e-3),
        "adamw" => new AdamW(model.Parameters(), learningRate: 0.01, weightDecay: 0.1),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static void Train(TinyMlp model, Optimizer optimizer, Tensor x, Tensor y, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            using var step = TensorScope.Begin();
            optimizer.ZeroGrad();
            model.MseLoss(x, y).Backward();
            optimizer.Step();
        }
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void Five_steps_saved_and_resumed_then_five_more_equal_ten_uninterrupted_steps_bitwise(string name)
    {
        using var scope = TensorScope.Begin();
        Torch.ManualSeed(7);
        var x = Tensor.Randn([16, 3]);
        var y = Tensor.Randn([16, 2]);

        // Given a run of ten uninterrupted steps
        Torch.ManualSeed(1);
        using var straight = new TinyMlp(3, 8, 2);
        using (var optimizer = Create(name, straight)) Train(straight, optimizer, x, y, 10);

        // When the same run stops after five, saves model and optimizer to safetensors, and a fresh
        // model (other weights) and optimizer load them and train five more
        Torch.ManualSeed(1);
        using (var first = new TinyMlp(3, 8, 2))
        using (var optimizer = Create(name, first))
        {
            Train(first, optimizer, x, y, 5);
            SafeTensors.Save(Path.Combine(_dir, "model.safetensors"), first.StateDict());
            SafeTensors.Save(Path.Combine(_dir, "optim.safetensors"), optimizer.StateDict());
        }
        Torch.ManualSeed(99);
        using var resumed = new TinyMlp(3, 8, 2);
        using (var optimizer = Create(name, resumed))
        {
            resumed.LoadStateDict(SafeTensors.Load(Path.Combine(_dir, "model.safetensors")));
            optimizer.LoadStateDict(SafeTensors.Load(Path.Combine(_dir, "optim.safetensors")));
            Assert.Equal(5, optimizer.StepCount);
            Train(resumed, optimizer, x, y, 5);
            Assert.Equal(10, optimizer.StepCount);
        }

        // Then every parameter is bit-for-bit the uninterrupted run's
        var expected = straight.StateDict();
        foreach (var (key, actual) in resumed.StateDict())
            Assert.True(expected[key].ToArray<float>().SequenceEqual(actual.ToArray<float>()), $"{name}: {key} differs after resuming");
    }

    [Fact]
    public void Adam_state_is_keyed_like_pytorch()
    {
        using var scope = TensorScope.Begin();
        using var model = new TinyMlp(3, 4, 1);
        using var optimizer = new Adam(model.Parameters());
        Train(model, optimizer, Tensor.Ones([2, 3]), Tensor.Zeros([2, 1]), 3);

        var state = optimizer.StateDict();

        Assert.Equal(3, state["step"].Item());
        Assert.Equal(3, state["state.0.step"].Item());
        Assert.Equal([4L, 3L], state["state.0.exp_avg"].Shape);
        Assert.Equal([1L], state["state.3.exp_avg_sq"].Shape);
        Assert.Equal(1e-3, state["param_groups.0.lr"].Item());
    }

    [Fact]
    public void A_state_dict_from_another_optimizer_is_refused_and_changes_nothing()
    {
        using var scope = TensorScope.Begin();
        using var model = new TinyMlp(3, 4, 1);
        using var sgd = new Sgd(model.Parameters(), learningRate: 0.1, momentum: 0.9);
        using var adam = new Adam(model.Parameters());
        Train(model, sgd, Tensor.Ones([2, 3]), Tensor.Zeros([2, 1]), 1);
        Train(model, adam, Tensor.Ones([2, 3]), Tensor.Zeros([2, 1]), 2);

        var e = Assert.Throws<ArgumentException>(() => adam.LoadStateDict(sgd.StateDict()));

        Assert.Contains("state.0.momentum_buffer", e.Message);
        Assert.Equal(2, adam.StepCount);
    }
}
