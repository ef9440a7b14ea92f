// Which GPU each trial slot of a sweep sees (the assignment itself; no GPU is needed to check it).
namespace Workbench.Cli.Tests;

public sealed class GpuSlotsTests
{
    [Fact]
    public void On_a_cpu_box_no_slot_gets_a_gpu() =>
        Assert.All(GpuSlots.Assign(3, 0, null), Assert.Null);

    [Fact]
    public void Slots_take_the_gpus_in_turn_when_there_are_more_slots_than_gpus() =>
        Assert.Equal("0 1 0 1 0", string.Join(' ', GpuSlots.Assign(5, 2, null)));

    [Fact]
    public void A_sweep_started_on_some_gpus_hands_out_those_gpus() =>
        Assert.Equal("2 5 2", string.Join(' ', GpuSlots.Assign(3, 2, "2, 5")));

    [Fact]
    public void A_visible_list_that_does_not_match_the_device_count_falls_back_to_plain_indices() =>
        Assert.Equal("0 1", string.Join(' ', GpuSlots.Assign(2, 2, "GPU-uuid-a")));
}
