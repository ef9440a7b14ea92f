// Initialisers against torch.nn.init: the same seed must draw the same values with the same bounds.
using Workbench.Torch.Nn;

namespace Workbench.Torch.Tests;

public sealed class InitTests
{
    // The seeds, shapes and arguments of INITS in tests/fixtures/make_optim_fixtures.py.
    public static TheoryData<string, int, long[]> Cases => new()
    {
        { "uniform", 1, [5, 7] },
        { "normal", 2, [5, 7] },
        { "kaiming_uniform", 3, [6, 4] },
        { "kaiming_uniform_linear_default", 4, [6, 4] },
        { "kaiming_normal_fan_out_relu", 5, [8, 3, 3, 3] },
        { "xavier_uniform_tanh", 6, [6, 4] },
        { "xavier_normal", 7, [8, 3, 5] },
    };

    private static void Apply(string name, Tensor t)
    {
        switch (name)
        {
            case "uniform": Init.Uniform_(t, -0.3, 0.7); break;
            case "normal": Init.Normal_(t, 0.5, 2.0); break;
            case "kaiming_uniform": Init.KaimingUniform_(t); break;
            case "kaiming_uniform_linear_default": Init.KaimingUniform_(t, negativeSlope: Math.Sqrt(5)); break;
            case "kaiming_normal_fan_out_relu": Init.KaimingNormal_(t, mode: FanMode.FanOut, nonlinearity: Nonlinearity.Relu); break;
            case "xavier_uniform_tanh": Init.XavierUniform_(t, Init.Gain(Nonlinearity.Tanh)); break;
            case "xavier_normal": Init.XavierNormal_(t); break;
            default: throw new ArgumentOutOfRangeException(nameof(name));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_initialiser_draws_what_torch_nn_init_draws_from_the_same_seed(string name, int seed, long[] shape)
    {
        // Given torch's values for this initialiser
        using var scope = TensorScope.Begin();
        var expected = Fixtures.Load("init.safetensors")[name];

        // When the same seed initialises a parameter of the same shape
        var t = Tensor.Empty(shape).RequiresGrad_();
        Torch.ManualSeed(seed);
        Apply(name, t);

        // Then the values agree (bounds computed in double round the same to within an ulp or so)
        Close.Assert(expected, t, name);
        Assert.True(t.RequiresGrad);
    }

    [Fact]
    public void A_seeded_linear_layer_starts_where_pytorchs_does()
    {
        using var scope = TensorScope.Begin();
        var f = Fixtures.Load("init.safetensors");

        Torch.ManualSeed(8);
        using var linear = new Linear(5, 3);

        Close.Assert(f["linear.weight"], linear.Weight, "weight");
        Close.Assert(f["linear.bias"], linear.Bias!, "bias");
    }

    [Fact]
    public void Constant_zeros_and_ones_fill_a_parameter()
    {
        using var scope = TensorScope.Begin();
        var t = Tensor.Empty([2, 2]).RequiresGrad_();

        Assert.Equal([0.25f, 0.25f, 0.25f, 0.25f], Init.Constant_(t, 0.25).ToArray<float>());
        Assert.Equal([0f, 0f, 0f, 0f], Init.Zeros_(t).ToArray<float>());
        Assert.Equal([1f, 1f, 1f, 1f], Init.Ones_(t).ToArray<float>());
    }

    [Fact]
    public void Fans_count_the_receptive_field_and_need_two_dims()
    {
        Assert.Equal((27L, 72L), Init.Fans([8, 3, 3, 3]));
        Assert.Equal(Math.Sqrt(2.0 / (1 + 0.01 * 0.01)), Init.Gain(Nonlinearity.LeakyRelu));

        var e = Assert.Throws<ArgumentException>(() => Init.Fans([5]));
        Assert.Contains("at least 2 dims", e.Message);
    }
}
