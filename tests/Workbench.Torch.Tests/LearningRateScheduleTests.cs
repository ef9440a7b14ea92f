// Learning-rate schedules against hand-computed values at the warmup boundary, mid-decay and the end.
using Workbench.Torch.Optim;

namespace Workbench.Torch.Tests;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void Cosine_with_warmup_follows_nanogpt()
    {
        // Given lr 1, min_lr 0.1, 10 warmup steps and 110 total
        var s = new LearningRateSchedule(ScheduleKind.Cosine, 1.0, totalSteps: 110, warmupSteps: 10, minLearningRate: 0.1);

        // Then warmup rises as (step + 1) / (warmup + 1), the peak comes right after it,
        // half-way through decay is the midpoint of lr and min_lr, and the end and beyond hold min_lr
        Assert.Equal(1.0 / 11, s.At(0), 15);
        Assert.Equal(10.0 / 11, s.At(9), 15);
        Assert.Equal(1.0, s.At(10), 15);
        Assert.Equal(0.55, s.At(60), 15);
        Assert.Equal(0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * 0.25)), s.At(35), 15);
        Assert.Equal(0.1, s.At(110), 15);
        Assert.Equal(0.1, s.At(5000), 15);
    }

    [Fact]
    public void Linear_decays_to_min_lr_at_the_last_step()
    {
        var s = new LearningRateSchedule(ScheduleKind.Linear, 2.0, totalSteps: 100, minLearningRate: 0.0);

        Assert.Equal(2.0, s.At(0), 15);
        Assert.Equal(1.5, s.At(25), 15);
        Assert.Equal(0.0, s.At(100), 15);
        Assert.Equal(0.0, s.At(101), 15);
    }

    [Fact]
    public void Step_decay_multiplies_by_gamma_every_step_size_after_warmup_and_stops_at_min_lr()
    {
        var s = new LearningRateSchedule(ScheduleKind.Step, 1.0, warmupSteps: 5, stepSize: 10, gamma: 0.5);
        var floored = new LearningRateSchedule(ScheduleKind.Step, 1.0, warmupSteps: 5, minLearningRate: 0.2, stepSize: 10, gamma: 0.5);

        Assert.Equal(5.0 / 6, s.At(4), 15);
        Assert.Equal(1.0, s.At(5), 15);
        Assert.Equal(1.0, s.At(14), 15);
        Assert.Equal(0.5, s.At(15), 15);
        Assert.Equal(0.125, s.At(35), 15);
        Assert.Equal(0.2, floored.At(35), 15);
    }

    [Fact]
    public void Constant_holds_the_rate_after_its_warmup()
    {
        var s = new LearningRateSchedule(ScheduleKind.Constant, 0.4, warmupSteps: 3);

        Assert.Equal(0.1, s.At(0), 15);
        Assert.Equal(0.3, s.At(2), 15);
        Assert.Equal(0.4, s.At(3), 15);
        Assert.Equal(0.4, s.At(1_000_000), 15);
    }

    [Fact]
    public void Impossible_schedules_and_unknown_names_are_errors_that_say_why()
    {
        var horizon = Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateSchedule(ScheduleKind.Cosine, 1.0, totalSteps: 10, warmupSteps: 10));
        var name = Assert.Throws<ArgumentException>(() => LearningRateSchedule.ParseKind("cosin"));

        Assert.Contains("more total steps than warmup_steps", horizon.Message);
        Assert.Contains("use constant, step, linear or cosine", name.Message);
        Assert.Equal(ScheduleKind.Cosine, LearningRateSchedule.ParseKind("Cosine"));
    }
}
