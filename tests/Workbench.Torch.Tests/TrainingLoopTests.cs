// Whole training loops: XOR is learnt, a long loop leaks neither tensors nor memory, and a seed
// makes a run repeat exactly.
using Workbench.Torch.Nn;
using Workbench.Torch.Optim;

namespace Workbench.Torch.Tests;

public sealed class TrainingLoopTests
{
    private sealed class XorNet : Layer
    {
        private readonly Linear _hidden;
        private readonly Linear _output;

        public XorNet()
        {
            _hidden = RegisterModule("hidden", new Linear(2, 2));
            _output = RegisterModule("output", new Linear(2, 1));
        }

        // (B, 2) -> (B, 1), a probability
        public override Tensor Forward(Tensor input) => _output.Forward(_hidden.Forward(input).Sigmoid()).Sigmoid();
    }

    [Fact]
    public void A_2_2_1_sigmoid_network_learns_xor()
    {
        // Given the four XOR cases and a seeded 2-2-1 sigmoid network
        using var scope = TensorScope.Begin();
        var x = Tensor.From([0f, 0f, 0f, 1f, 1f, 0f, 1f, 1f], 4, 2);
        var y = Tensor.From([0f, 1f, 1f, 0f], 4, 1);
        Torch.ManualSeed(0);
        using var model = new XorNet();
        using var optimizer = new Sgd(model.Parameters(), learningRate: 2.0, momentum: 0.9);

        // When it trains on mean squared error
        for (var step = 0; step < 2000; step++)
        {
            using var s = TensorScope.Begin();
            optimizer.ZeroGrad();
            (model.Forward(x) - y).Square().Mean().Backward();
            optimizer.Step();
        }

        // Then it classifies all four cases
        using var predictions = model.Forward(x);
        var p = predictions.ToArray<float>();
        Assert.True(p[0] < 0.5 && p[1] > 0.5 && p[2] > 0.5 && p[3] < 0.5, $"predictions {string.Join(", ", p)}");
    }

    [Fact]
    public void A_thousand_adam_steps_leave_live_tensors_and_resident_memory_flat()
    {
        using var data = TensorScope.Begin();
        Torch.ManualSeed(3);
        var x = Tensor.Randn([64, 16]);
        var y = Tensor.Randn([64, 4]);
        var before = TensorCensus.Take();
        using (var model = new TinyMlp(16, 64, 4))
        using (var optimizer = new Adam(model.Parameters(), learningRate: 1e-3))
        {
            void Step()
            {
                using var step = TensorScope.Begin();
                optimizer.ZeroGrad();
                var loss = model.MseLoss(x, y);
                loss.Backward();
                GradClip.ClipByGlobalNorm(model.Parameters(), 1.0);
                optimizer.Step();
                _ = loss.Item();
            }

            // Given a loop warmed up past its first steps (the optimizer's state now exists)
            for (var i = 0; i < 100; i++) Step();
            var afterWarmup = TensorCensus.Take();
            var rssAfterWarmup = ResidentBytes();

            // When it runs a thousand more steps
            for (var i = 0; i < 1000; i++) Step();

            // Then no tensor is left behind and resident memory stays flat
            Assert.Equal(afterWarmup, TensorCensus.Take());
            var growth = ResidentBytes() - rssAfterWarmup;
            Assert.True(growth < 20L << 20, $"resident memory grew by {growth >> 10} KiB over 1000 steps");
        }
        // And model and optimizer free everything they held
        Assert.Equal(before, TensorCensus.Take());
    }

    [Fact]
    public void The_same_seed_gives_bitwise_identical_loss_sequences()
    {
        // Given two runs that draw their weights and every batch from the generator
        static double[] Run()
        {
            using var scope = TensorScope.Begin();
            Torch.ManualSeed(1234);
            using var model = new TinyMlp(4, 16, 1);
            using var optimizer = new AdamW(model.Parameters(), learningRate: 1e-2);
            var losses = new double[20];
            for (var i = 0; i < losses.Length; i++)
            {
                using var step = TensorScope.Begin();
                var x = Tensor.Randn([8, 4]);
                var y = Tensor.Rand([8, 1]);
                optimizer.ZeroGrad();
                var loss = model.MseLoss(x, y);
                loss.Backward();
                optimizer.Step();
                losses[i] = loss.Item();
            }
            return losses;
        }

        // When both run from the same seed
        var first = Run();
        var second = Run();

        // Then their losses agree to the last bit
        Assert.Equal(first.Select(BitConverter.DoubleToInt64Bits), second.Select(BitConverter.DoubleToInt64Bits));
    }

    // VmRSS from /proc/self/status, in bytes.
    private static long ResidentBytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }
}
