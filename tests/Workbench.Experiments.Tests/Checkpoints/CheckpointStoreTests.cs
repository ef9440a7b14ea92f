// Checkpoints on disk: what a run saves comes back intact, a NaN metric included, and a damaged
// checkpoint is a clear error instead of a crash.
using Workbench.Experiments.Checkpoints;
using Workbench.Torch;
using Workbench.Torch.Nn;
using Workbench.Torch.Optim;

namespace Workbench.Experiments.Tests.Checkpoints;

public sealed class CheckpointStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wb-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_checkpoint_whose_metric_is_nan_saves_and_loads_back()
    {
        using var model = new Linear(3, 2);
        using var optimizer = new Adam(model.Parameters().ToList(), 1e-3);
        var store = new CheckpointStore(_dir, keep: 2);
        var state = new CheckpointState(7, 1, 3, "", double.NaN, 1.5, 2);

        store.SaveStep(model.StateDict(), optimizer, state, isBest: false);
        using var loaded = CheckpointStore.Load(store.LatestStep()!);

        Assert.Equal(7, loaded.State.Step);
        Assert.True(double.IsNaN(loaded.State.Metric!.Value));
        Assert.Equal(model.StateDict().Keys.Order(), loaded.Model.Keys.Order());
    }

    [Fact]
    public void Keeps_only_the_last_k_step_checkpoints()
    {
        using var model = new Linear(2, 1);
        using var optimizer = new Sgd(model.Parameters().ToList(), 0.1);
        var store = new CheckpointStore(_dir, keep: 2);

        foreach (var step in new[] { 10L, 20, 30 })
            store.SaveStep(model.StateDict(), optimizer, new CheckpointState(step, 0, step, "", 0.5, 0, 0), isBest: step == 20);

        var names = Directory.GetDirectories(store.Root).Select(d => Path.GetFileName(d)!).Order().ToArray();
        Assert.Equal(["best", "step-00000020", "step-00000030"], names);
    }

    [Fact]
    public void A_damaged_state_file_is_a_checkpoint_error_naming_the_folder()
    {
        using var model = new Linear(2, 1);
        using var optimizer = new Sgd(model.Parameters().ToList(), 0.1);
        var store = new CheckpointStore(_dir, keep: 1);
        var folder = store.SaveStep(model.StateDict(), optimizer, new CheckpointState(1, 0, 1, "", null, 0, 0), isBest: false);
        File.WriteAllText(Path.Combine(folder, "state.json"), "{ not json");

        var error = Assert.Throws<CheckpointException>(() => CheckpointStore.Load(folder));

        Assert.Contains(folder, error.Message);
    }
}
